/**
 * A local HTTP server for download tests, with the ways real servers fail: serves files (with
 * Range), redirects, 404s, wrong bytes, a body that ends early, a connection cut mid-body (once,
 * then it resumes), a slow body, and a server that stops sending. Never the internet.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FileServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** `Range` headers of every request, in order (undefined: none). */
  ranges: (string | undefined)[];
  /** The path of every request, in order. */
  paths: string[];
  /** Adds or replaces a file under /files/NAME (and the other routes). */
  put(name: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

function sendRange(request: IncomingMessage, response: ServerResponse, bytes: Uint8Array): void {
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
  const start = match ? Number(match[1]) : 0;
  if (start >= bytes.length && bytes.length > 0) {
    response.writeHead(416, { "Content-Range": `bytes */${bytes.length}` }).end();
    return;
  }
  const headers = { "Content-Length": String(bytes.length - start), "Accept-Ranges": "bytes" };
  if (match) response.writeHead(206, { ...headers, "Content-Range": `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
  else response.writeHead(200, headers);
  response.end(Buffer.from(bytes.subarray(start)));
}

type Route = (request: IncomingMessage, response: ServerResponse, bytes: Uint8Array, name: string) => void;

export interface FileServerOptions {
  /** Pause between the eight parts of the `slow` route (default 150 ms). */
  slowPartDelayMs?: number;
}

export async function startFileServer(options: FileServerOptions = {}): Promise<FileServer> {
  const files = new Map<string, Uint8Array>();
  const ranges: (string | undefined)[] = [];
  const paths: string[] = [];
  const cutOnce = new Set<string>();
  const routes: Record<string, Route> = {
    files: sendRange,
    redirect: (_request, response, _bytes, name) => response.writeHead(302, { Location: `/files/${name}` }).end(),
    // Same size, one byte changed: only the hash can tell.
    wrong: (_request, response, bytes) => {
      const changed = Buffer.from(bytes);
      const middle = changed.length >> 1;
      changed[middle] = changed[middle]! ^ 0xff;
      response.writeHead(200, { "Content-Length": String(changed.length) }).end(changed);
    },
    // A clean end (chunked, no length) after half the bytes.
    truncated: (_request, response, bytes) => {
      response.writeHead(200);
      response.end(Buffer.from(bytes.subarray(0, bytes.length >> 1)));
    },
    // The first request loses its connection after half the body; later ones honour Range.
    flaky: (request, response, bytes, name) => {
      if (cutOnce.has(name)) return sendRange(request, response, bytes);
      cutOnce.add(name);
      response.writeHead(200, { "Content-Length": String(bytes.length) });
      response.write(Buffer.from(bytes.subarray(0, bytes.length >> 1)), () => setTimeout(() => response.socket?.destroy(), 50));
    },
    // Headers and a first chunk, then silence.
    stall: (_request, response, bytes) => {
      response.writeHead(200, { "Content-Length": String(bytes.length) });
      response.write(Buffer.from(bytes.subarray(0, 1024)));
    },
    // The whole file in eight parts, 150 ms apart (slowPartDelayMs): a download long enough to watch.
    slow: (_request, response, bytes) => {
      response.writeHead(200, { "Content-Length": String(bytes.length) });
      const part = Math.ceil(bytes.length / 8);
      let sent = 0;
      const next = () => {
        if (response.destroyed) return;
        const end = Math.min(bytes.length, sent + part);
        response.write(Buffer.from(bytes.subarray(sent, end)));
        sent = end;
        if (sent < bytes.length) setTimeout(next, options.slowPartDelayMs ?? 150);
        else response.end();
      };
      next();
    },
    // More bytes than the catalog pins.
    oversized: (_request, response, bytes) => {
      response.writeHead(200).end(Buffer.concat([Buffer.from(bytes), Buffer.alloc(4096, 7)]));
    },
  };
  const server: Server = createServer((request, response) => {
    ranges.push(request.headers.range);
    paths.push(request.url ?? "");
    const [, route, name] = /^\/([a-z]+)\/(.+)$/.exec(request.url ?? "") ?? [];
    const bytes = name === undefined ? undefined : files.get(name);
    const handler = route === undefined ? undefined : routes[route];
    if (!handler || !bytes || !name) return void response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    handler(request, response, bytes, name);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    ranges,
    paths,
    put: (name, bytes) => void files.set(name, bytes),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
