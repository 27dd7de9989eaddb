/** The preview's HTTP server: 127.0.0.1 only, GET and HEAD only, the routes of confine.ts only; everything else 404. */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { route } from './routes.js';
import type { EventChannel } from './events.js';
import { escapeHtml } from './page-html.js';
import type { Session } from './session.js';

export const host = '127.0.0.1';

export interface PreviewServer {
  server: Server;
  url: string;
  port: number;
}

/** Headers every answer carries: nothing may be framed, sniffed or sent elsewhere. */
const baseHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** Start listening; `port` 0 takes a free one. Rejects with the listen error (EADDRINUSE, EACCES). */
export function startServer(session: Session, channel: EventChannel, port: number, nonce: string): Promise<PreviewServer> {
  let origin = '';
  const server = createServer((request, response) => {
    handle(request, response, session, channel, nonce, origin).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', `预览服务出错：${String(error)}`);
      else response.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      origin = `${host}:${address.port}`;
      resolve({ server, url: `http://${origin}/`, port: address.port });
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  session: Session,
  channel: EventChannel,
  nonce: string,
  origin: string,
): Promise<void> {
  // A page on another site could point a name of its own at 127.0.0.1 (DNS rebinding): answer only our own host names.
  const hostHeader = request.headers.host ?? '';
  if (hostHeader !== origin && hostHeader !== origin.replace(host, 'localhost')) return notFound(response);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'text/plain; charset=utf-8', '只接受 GET 请求');
  }
  const target = await route(request.url ?? '', session.served());
  switch (target.kind) {
    case 'page': {
      const page = session.current();
      response.setHeader(
        'Content-Security-Policy',
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`,
      );
      return send(response, 200, 'text/html; charset=utf-8', page.html, request.method === 'HEAD');
    }
    case 'events':
      if (request.method === 'HEAD') return send(response, 200, 'text/event-stream; charset=utf-8', '', true);
      return channel.connect(request, response);
    case 'pdf': {
      const pdf = await session.pdf();
      if (!pdf.ok) return send(response, pdf.status, 'text/html; charset=utf-8', messagePage(pdf.message), request.method === 'HEAD');
      response.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(pdf.name)}`);
      return send(response, 200, 'application/pdf', pdf.bytes, request.method === 'HEAD');
    }
    case 'file':
      response.writeHead(200, { ...baseHeaders, 'Content-Type': target.type, 'Cache-Control': 'no-cache' });
      if (request.method === 'HEAD') return void response.end();
      createReadStream(target.path)
        .on('error', () => response.destroy())
        .pipe(response);
      return;
    case 'not-found':
      return notFound(response);
  }
}

function notFound(response: ServerResponse): void {
  send(response, 404, 'text/plain; charset=utf-8', '404：预览服务只提供当前案例的页面、它引用的图片、模板和内置字体');
}

function send(response: ServerResponse, status: number, type: string, body: string | Uint8Array, headOnly = false): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...baseHeaders, 'Content-Type': type, 'Content-Length': bytes.byteLength, 'Cache-Control': 'no-store' });
  response.end(headOnly ? undefined : bytes);
}

function messagePage(message: string): string {
  return `<!doctype html>\n<html lang="zh-Hans"><head><meta charset="utf-8"><title>无法生成 PDF</title></head><body><p>${escapeHtml(message)}</p><p><a href="/">返回预览</a></p></body></html>\n`;
}
