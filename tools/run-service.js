// `npm run service -- <name>`: one service as its own process (Kafka + PostgreSQL by default).
const SERVICES = ['order-intake', 'sourcing', 'supplier-gateway', 'returns-router', 'supplier-performance', 'finance-reconciler'];
const name = process.argv[2];
if (!SERVICES.includes(name)) {
  console.error(`usage: npm run service -- <${SERVICES.join('|')}>`);
  process.exit(2);
}
require('./register');
require(`../apps/${name}/src/main.ts`);
