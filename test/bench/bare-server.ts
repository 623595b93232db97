// Baseline 1: bare Express answering "ok", with no middleware at all. Every other
// figure in the benchmark reads as a fraction of this floor. Run by the bench in a
// child process (transpiled by build.ts); reads PORT and HOST.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
app.get('/', (_req, res) => {
  res.send('ok');
});

app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
