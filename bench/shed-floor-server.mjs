// The soak's yardstick beyond saturation (bench/soak.bench.ts): bare node:http refusing every request
// as Parley refuses a shed write (503, Retry-After, a short JSON body), with Parley's keep-alive. The
// soak's sender sends it the same POSTs at the same rate in the same run, so the figures show how fast
// this machine can answer them at all at that moment: the floor under Parley's shed answers.
import http from 'node:http';

const port = Number(process.argv[2] ?? 3991);
const body = Buffer.from(JSON.stringify({ error: { code: 'overloaded', message: 'The site is too busy right now. Please try again in a few seconds.', requestId: '00000000-0000-4000-8000-000000000000' } }));
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length), 'retry-after': '5', 'cache-control': 'no-store' };
const server = http.createServer((req, res) => {
  // Answered at once; the body is read and dropped so that the connection serves the next request.
  req.resume();
  res.writeHead(503, headers);
  res.end(body);
});
server.keepAliveTimeout = 72_000;
// Parley's listen backlog (LISTEN_BACKLOG), not Node's 511: the sender opens its 1,024 connections at once.
server.listen(port, '127.0.0.1', 4096);
