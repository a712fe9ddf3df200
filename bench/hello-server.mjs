// The yardstick: the least a Node.js HTTP server can do per request on this machine.
import http from 'node:http';

const port = Number(process.argv[2] ?? 3990);
http
  .createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello world');
  })
  .listen(port, '127.0.0.1');
