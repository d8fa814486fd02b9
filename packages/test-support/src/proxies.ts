import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/** A proxy a test started on 127.0.0.1, with what it forwarded. */
export interface TestProxy {
  /** The proxy's URL, e.g. `http://127.0.0.1:PORT` or `socks5://127.0.0.1:PORT`. */
  readonly url: string;
  /** `host:port` of each tunnel opened (CONNECT / SOCKS5), or `METHOD URL` of each forwarded request. */
  readonly seen: string[];
  close(): Promise<void>;
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function tunnel(client: Socket, host: string, port: number, onOpen: () => void): void {
  const upstream = connect(port, host, onOpen);
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
}

/**
 * An HTTP proxy: CONNECT tunnels (for `https:` servers) and absolute-URI forwarding (for
 * `http:` servers), as squid or tinyproxy do.
 */
export async function startHttpProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(
      req.url ?? '',
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(req.url ?? '');
    const [host = '', port = ''] = (req.url ?? '').split(/:(?=\d+$)/);
    tunnel(client, host, Number(port), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) client.unshift(head);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => closeServer(server, sockets),
  };
}

/** A SOCKS5 proxy without authentication that supports CONNECT (RFC 1928). */
export async function startSocks5Proxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buf = Buffer.alloc(0);
    let greeted = false;
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!greeted) {
        if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
        buf = buf.subarray(2 + buf[1]!);
        greeted = true;
        client.write(Buffer.from([5, 0])); // no authentication
      }
      if (buf.length < 5) return;
      const atyp = buf[3];
      let host: string;
      let end: number;
      if (atyp === 1) {
        end = 8;
        if (buf.length < end + 2) return;
        host = [...buf.subarray(4, 8)].join('.');
      } else if (atyp === 3) {
        end = 5 + buf[4]!;
        if (buf.length < end + 2) return;
        host = buf.subarray(5, end).toString('latin1');
      } else {
        client.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0])); // address type not supported
        return;
      }
      const port = buf.readUInt16BE(end);
      const rest = buf.subarray(end + 2);
      client.off('data', onData);
      seen.push(`${host}:${port}`);
      tunnel(client, host, port, () => {
        client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
        if (rest.length > 0) client.unshift(rest);
      });
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `socks5://127.0.0.1:${port}`,
    seen,
    close: () => closeServer(server, sockets),
  };
}
