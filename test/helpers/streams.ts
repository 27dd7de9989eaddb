/** Output streams for the command line's API in tests. */
import { Writable } from 'node:stream';

/** Output streams that keep what is written to them. */
export function captured(): { streams: { stdout: Writable; stderr: Writable }; text: () => string } {
  let text = '';
  const sink = () =>
    new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
  return { streams: { stdout: sink(), stderr: sink() }, text: () => text };
}
