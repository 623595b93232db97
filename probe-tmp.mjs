import http from 'node:http';
import express from 'express';
const app = express();
const variant = process.argv[2];
let n = 0;
app.use((req, res, next) => { n++; if (n === 100) console.log(variant, 'in app: req fast', %HasFastProperties(req), 'res fast', %HasFastProperties(res)); next(); });
app.get('/', (req, res) => res.send('ok'));
let server;
if (variant === 'classes') {
  function AppRequest(socket) { return Reflect.construct(http.IncomingMessage, [socket], AppRequest); }
  AppRequest.prototype = app.request;
  function AppResponse(req, o) { return Reflect.construct(http.ServerResponse, [req, o], AppResponse); }
  AppResponse.prototype = app.response;
  server = http.createServer({ IncomingMessage: AppRequest, ServerResponse: AppResponse }, app);
} else server = http.createServer(app);
server.listen(4998, async () => {
  for (let i = 0; i < 120; i++) { const r = await fetch('http://127.0.0.1:4998/'); await r.text(); }
  server.close(); process.exit(0);
});
