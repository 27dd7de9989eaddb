/**
 * The live-reload channel: Server-Sent Events on /events. Each new version of the page is one `update` event whose
 * id is `<server>.<version>`, so a page that reconnects (EventSource sends Last-Event-ID) gets the current version if
 * it missed one, and a page left open while the preview was restarted gets the new server's page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UpdateEvent } from './page-script.js';

export interface EventChannel {
  /** Answer a GET /events: keep the response open, and send the current version at once if the client has an older one. */
  connect(request: IncomingMessage, response: ServerResponse): void;
  /** Send a new version to every open page. */
  publish(update: UpdateEvent): void;
  /** Pages connected now. */
  readonly size: number;
  /** End every open response (the server is stopping). */
  close(): void;
}

/** Comment lines keep idle connections from being dropped by proxies and let a gone client be noticed. */
const heartbeatMs = 15_000;

export function createEventChannel(current: () => UpdateEvent): EventChannel {
  const clients = new Set<ServerResponse>();
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': 心跳\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  return {
    connect(request, response) {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      response.write('retry: 1000\n\n');
      clients.add(response);
      request.on('close', () => clients.delete(response));
      const known = request.headers['last-event-id'] ?? new URL(request.url ?? '/', 'http://localhost').searchParams.get('v');
      const now = current();
      if (known !== eventId(now)) response.write(frame(now));
    },
    publish(update) {
      const text = frame(update);
      for (const client of clients) client.write(text);
    },
    get size() {
      return clients.size;
    },
    close() {
      clearInterval(heartbeat);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}

/** One event. JSON has no raw line breaks, so the data fits on one `data:` line. */
function frame(update: UpdateEvent): string {
  return `id: ${eventId(update)}\nevent: update\ndata: ${JSON.stringify(update)}\n\n`;
}

function eventId(update: UpdateEvent): string {
  return `${update.server}.${update.version}`;
}
