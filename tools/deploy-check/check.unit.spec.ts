import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkDeploy } from './check';
import { formatFinding } from './findings';

const root = resolve(__dirname, '../..');

describe('npm run check:deploy', () => {
  it('accepts the real files: compose, Dockerfile, the Secret template and every kustomization', () => {
    const { findings, checked } = checkDeploy({ root });
    expect(findings.map(formatFinding)).toEqual([]);
    expect(checked).toEqual([
      'docker-compose.yml',
      'Dockerfile',
      'deploy/k8s/secret.template.yaml',
      expect.stringMatching(/^deploy\/k8s\/base \(\d+ resources\)$/),
      expect.stringMatching(/^deploy\/k8s\/overlays\/dev \(\d+ resources\)$/),
      expect.stringMatching(/^deploy\/k8s\/overlays\/prod \(\d+ resources\)$/),
      'deploy/k8s/README.md',
    ]);
  });

  describe('broken copies on disk', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
      cpSync(join(root, 'deploy', 'k8s'), join(dir, 'k8s'), { recursive: true });
      cpSync(join(root, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const edit = (file: string, from: string | RegExp, to: string) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const changed = text.replace(from, to);
      if (changed === text) throw new Error(`${file}: ${String(from)} not found`);
      writeFileSync(path, changed);
    };
    const problems = () =>
      checkDeploy({ root, compose: join(dir, 'docker-compose.yml'), k8s: join(dir, 'k8s') })
        .findings.map(formatFinding)
        .map((line) => line.replace(`${dir}/`, ''));

    it('a misspelt key in the compose file', () => {
      edit('docker-compose.yml', '    restart: "no"\n    environment:\n      BOOTSTRAP_SERVER', '    restart: "no"\n    enviroment:\n      BOOTSTRAP_SERVER');
      expect(problems()).toEqual([
        'docker-compose.yml services.kafka-topics: must NOT have additional properties "enviroment"',
        'docker-compose.yml services.kafka-topics: no TOPICS variable listing "<topic> <partitions>" lines',
      ]);
    });

    it('a base Deployment without its readiness probe fails every overlay', () => {
      edit('k8s/base/finance-reconciler.yaml', / {10}readinessProbe:\n( {12}.*\n)+?(?= {10}resources:)/, '');
      expect(problems()).toEqual(
        ['base', 'overlays/dev', 'overlays/prod'].map((k) => `k8s/${k} Deployment/finance-reconciler: container service: no readinessProbe on GET /health/ready`),
      );
    });

    it('a Secret template that lacks a key a Deployment reads, or has one none reads', () => {
      edit('k8s/secret.template.yaml', '  FINANCE_API_TOKEN: ""\n', '  FINANCE_TOKEN: ""\n');
      expect(problems()).toEqual([
        'k8s/secret.template.yaml stringData: FINANCE_TOKEN: no Deployment reads it',
        'k8s/secret.template.yaml stringData: FINANCE_API_TOKEN: read by a Deployment but not in the template',
      ]);
    });

    it('a topic table that no longer says what libs/contracts and the services say', () => {
      edit('k8s/README.md', '| `oms.orders.v1` | 12 | 3 / 2 | order id | sourcing, returns-router, finance-reconciler;', '| `oms.orders.v1` | 6 | 3 / 2 | order id | sourcing, returns-router;');
      edit('k8s/README.md', /\| `oms.diagnostics.v1` .*\n/, '');
      expect(problems()).toEqual([
        'k8s/README.md oms.orders.v1: 6 partitions; libs/contracts says 12',
        'k8s/README.md oms.orders.v1: consumed by "returns-router, sourcing"; the services say "finance-reconciler, returns-router, sourcing"',
        'k8s/README.md topics: oms.diagnostics.v1 is not in the table',
      ]);
    });

    it('an overlay that cannot be rendered', () => {
      edit('k8s/overlays/prod/kustomization.yaml', '  - path: config.yaml\n', '  - path: configuration.yaml\n');
      expect(problems()).toEqual([expect.stringMatching(/^k8s\/overlays\/prod: cannot render: .*configuration\.yaml/)]);
    });
  });
});
