// A second yardstick for the article page: bare node:http sending the very bytes and headers Parley
// sends for it (read from the files given), so a run shows how much of the gap to hello world is the
// page's size and headers, and how much is Parley's own.
import fs from 'node:fs';
import http from 'node:http';

const [port, bodyFile, headersFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
const headers = { ...JSON.parse(fs.readFileSync(headersFile, 'utf8')), 'content-length': String(body.length) };
http
  .createServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  })
  .listen(Number(port), '127.0.0.1');
