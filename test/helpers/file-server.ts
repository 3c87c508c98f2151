// A local web server that hands out fixed files, for Upload From URL and New Version From
// URL tests: the source a user's CMS or PIM would be, over real HTTP on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FileServer {
  /** http://127.0.0.1:<free port> */
  base: string;
  close(): Promise<void>;
}

/** Serves each path's body with its content type; any other path answers `missing` (404 unless told). */
export async function serveFiles(files: Record<string, { type: string; body: Buffer }>, missing = 404): Promise<FileServer> {
  const server = http.createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (file) return void res.writeHead(200, { 'content-type': file.type }).end(file.body);
    res.writeHead(missing).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
