import { startTestServer } from '@roost/dev-env';
const s = await startTestServer();
for (let i = 0; i < 5; i++) {
  const t0 = Date.now();
  const r: any = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'hello probe ' + i } } as any);
  console.log(r.status, Date.now() - t0);
}
const t0 = Date.now();
const rs: any[] = await Promise.all(Array.from({ length: 20 }, (_, i) => s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'conc ' + i } } as any)));
console.log(rs.map((r) => r.status).join(','), Date.now() - t0);
await s.close();
