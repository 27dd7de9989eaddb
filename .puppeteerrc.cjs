// huibian finds a browser itself (src/pdf/browser.ts): a configured path, PUPPETEER_EXECUTABLE_PATH,
// Puppeteer's cache, then a system Chrome/Chromium/Edge. Installing must not try to download one,
// because many offices (and CI) cannot reach the download host.
module.exports = { skipDownload: true };
