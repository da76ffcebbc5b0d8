import { join, resolve } from 'node:path';
import { formatFinding } from './findings';
import { FieldChecker } from './k8s-fields';
import { checkKubernetes } from './kubernetes';
import { readYamlDocuments, renderKustomization, type Manifest } from './kustomize';
import { readRepoFacts, type RepoFacts } from './repo-facts';

const root = resolve(__dirname, '../..');
const k8s = join(root, 'deploy', 'k8s');

type Env = { name: string; value?: string; valueFrom?: unknown };
type Container = Record<string, unknown> & { env: Env[]; ports: { containerPort: number }[] };
type DeploymentShape = Manifest & { spec: { replicas?: number; template: { spec: { containers: Container[] } } } };

describe('Kubernetes manifests check', () => {
  let facts: RepoFacts;
  let fields: FieldChecker;
  let secretTemplate: Manifest;
  beforeAll(() => {
    facts = readRepoFacts(root);
    fields = new FieldChecker(root);
    [secretTemplate] = readYamlDocuments(join(k8s, 'secret.template.yaml')) as [Manifest];
  });

  const problems = (overlay: string, change: (resources: Manifest[]) => Manifest[] | void): string[] => {
    const resources = renderKustomization(join(k8s, 'overlays', overlay));
    const changed = change(resources) ?? resources;
    return checkKubernetes(changed, { facts, fields, source: overlay, secretTemplate }).map(formatFinding);
  };
  const deployment = (resources: Manifest[], name: string) => resources.find((r) => r.kind === 'Deployment' && r.metadata.name === name) as DeploymentShape;
  const container = (resources: Manifest[], name: string) => deployment(resources, name).spec.template.spec.containers[0]!;

  it.each(['dev', 'prod'])('accepts the real %s overlay: the six services with a Service and a PodDisruptionBudget each', (overlay) => {
    const resources = renderKustomization(join(k8s, 'overlays', overlay));
    expect(checkKubernetes(resources, { facts, fields, source: overlay, secretTemplate }).map(formatFinding)).toEqual([]);
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) {
      expect(resources.filter((r) => r.kind === kind).map((r) => r.metadata.name).sort()).toEqual([...facts.services.keys()].sort());
    }
  });

  it('production: replication 3, min.insync.replicas 2, TLS and SASL', () => {
    const config = renderKustomization(join(k8s, 'overlays', 'prod')).find((r) => r.kind === 'ConfigMap')!['data'];
    expect(config).toMatchObject({ KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2', KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512' });
  });

  it('rejects a Deployment without probes', () => {
    expect(
      problems('dev', (resources) => {
        delete container(resources, 'sourcing')['livenessProbe'];
        delete container(resources, 'sourcing')['readinessProbe'];
      }),
    ).toEqual([
      'dev Deployment/sourcing: container service: no livenessProbe on GET /health/live',
      'dev Deployment/sourcing: container service: no readinessProbe on GET /health/ready',
    ]);
  });

  it('rejects a probe on another path or port', () => {
    expect(
      problems('dev', (resources) => {
        container(resources, 'sourcing')['readinessProbe'] = { httpGet: { path: '/health/live', port: 'http' } };
        container(resources, 'returns-router')['livenessProbe'] = { httpGet: { path: '/health/live', port: 'metrics' } };
      }),
    ).toEqual([
      'dev Deployment/sourcing: container service: no readinessProbe on GET /health/ready',
      'dev Deployment/returns-router: container service: livenessProbe port metrics is not a container port',
    ]);
  });

  it('rejects a wrong key (which the Kubernetes JSON schemas alone let through) and a wrongly typed value', () => {
    expect(
      problems('prod', (resources) => {
        const c = container(resources, 'order-intake');
        c['livenesProbe'] = c['livenessProbe'];
        delete c['livenessProbe'];
        (deployment(resources, 'finance-reconciler').spec as Record<string, unknown>)['replica'] = 2;
        c.ports[0]!.containerPort = '3001' as unknown as number;
      }),
    ).toEqual([
      'prod Deployment/order-intake: spec.template.spec.containers[0].ports[0].containerPort: must be integer',
      'prod Deployment/order-intake: spec.template.spec.containers[0].livenesProbe: unknown field',
      'prod Deployment/finance-reconciler: spec.replica: unknown field',
      'prod Deployment/order-intake: container service: no livenessProbe on GET /health/live',
      'prod Deployment/order-intake: container service: the service listens on 3001, which is not a container port',
    ]);
  });

  it('rejects a missing image, and an image without a version tag', () => {
    expect(
      problems('prod', (resources) => {
        delete container(resources, 'supplier-gateway')['image'];
        container(resources, 'sourcing')['image'] = 'registry.example.com/dropship-oms:latest';
      }),
    ).toEqual([
      'prod Deployment/sourcing: container service: image registry.example.com/dropship-oms:latest has no version tag',
      'prod Deployment/supplier-gateway: container service: no image',
    ]);
  });

  it('rejects a variable the service does not read, set inline or through the shared ConfigMap', () => {
    expect(
      problems('dev', (resources) => {
        container(resources, 'sourcing').env.push({ name: 'SOURCING_SPLIT_PENALTI', value: '300' });
        const config = resources.find((r) => r.kind === 'ConfigMap')!;
        (config['data'] as Record<string, string>)['FINANCE_API_TOKEN'] = 'x'.repeat(20);
      }).filter((p) => !p.includes('finance-reconciler')),
    ).toEqual([
      'dev Deployment/order-intake: container service: sets FINANCE_API_TOKEN, which order-intake does not read',
      'dev Deployment/sourcing: container service: sets FINANCE_API_TOKEN, which sourcing does not read',
      'dev Deployment/sourcing: container service: sets SOURCING_SPLIT_PENALTI, which sourcing does not read',
      'dev Deployment/supplier-gateway: container service: sets FINANCE_API_TOKEN, which supplier-gateway does not read',
      'dev Deployment/returns-router: container service: sets FINANCE_API_TOKEN, which returns-router does not read',
      'dev Deployment/supplier-performance: container service: sets FINANCE_API_TOKEN, which supplier-performance does not read',
    ]);
  });

  it('rejects a Secret or ConfigMap that is not there, unless the reference is optional', () => {
    expect(
      problems('dev', (resources) => {
        container(resources, 'sourcing').env.push({ name: 'SOURCING_FAILURE_COST', valueFrom: { configMapKeyRef: { name: 'sourcing-policy', key: 'failure-cost' } } });
        container(resources, 'finance-reconciler').env.push({ name: 'FINANCE_UNIT_COST_TOLERANCE', valueFrom: { secretKeyRef: { name: 'oms-secrets', key: 'TOLERANCE', optional: true } } });
        return resources.filter((r) => r.kind !== 'Secret');
      }),
    ).toEqual([
      // Without the dev Secret, the template stands in: DATABASE_URL is there, so only the ConfigMap is missing.
      'dev Deployment/sourcing: container service: SOURCING_FAILURE_COST refers to ConfigMap sourcing-policy key failure-cost, which is not defined',
    ]);
  });

  it('rejects a Deployment that runs no service of apps/, or whose pods no Service or PodDisruptionBudget selects', () => {
    expect(
      problems('dev', (resources) => {
        container(resources, 'returns-router').env[0] = { name: 'SERVICE', value: 'returns' };
        return resources.filter((r) => !(r.kind === 'Service' && r.metadata.name === 'sourcing') && !(r.kind === 'PodDisruptionBudget' && r.metadata.name === 'sourcing'));
      }),
    ).toEqual([
      'dev Deployment/sourcing: no Service selects its pods',
      'dev Deployment/sourcing: no PodDisruptionBudget selects its pods',
      "dev Deployment/returns-router: container service: SERVICE is 'returns', not a service in apps/",
      'dev: apps/returns-router runs in no Deployment',
    ]);
  });

  it('rejects a container that may run as root, write its filesystem or gain privileges, or has no resource limits', () => {
    expect(
      problems('prod', (resources) => {
        const d = deployment(resources, 'sourcing');
        delete (d.spec.template.spec as Record<string, unknown>)['securityContext'];
        const c = d.spec.template.spec.containers[0]!;
        c['securityContext'] = { readOnlyRootFilesystem: false };
        delete (c['resources'] as Record<string, unknown>)['limits'];
      }),
    ).toEqual([
      'prod Deployment/sourcing: container service: no resources.limits.cpu',
      'prod Deployment/sourcing: container service: no resources.limits.memory',
      'prod Deployment/sourcing: container service: runAsNonRoot is not set (pod or container)',
      'prod Deployment/sourcing: container service: securityContext.readOnlyRootFilesystem is not true',
      'prod Deployment/sourcing: container service: securityContext.allowPrivilegeEscalation is not false',
    ]);
  });

  it('rejects more replicas than the partitions of a topic the service consumes', () => {
    expect(
      problems('prod', (resources) => {
        deployment(resources, 'order-intake').spec.replicas = 4;
      }),
    ).toEqual([
      'prod Deployment/order-intake: 4 replicas, but order-intake consumes oms.diagnostics.v1, which has 3 partitions: a consumer group uses at most that many members',
    ]);
  });

  it('rejects a kind it has no schema for', () => {
    expect(
      problems('dev', (resources) => [...resources, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'rebuild' } } as Manifest]),
    ).toEqual([expect.stringMatching(/^dev CronJob\/rebuild: batch\/v1\/CronJob: no schema here/)]);
  });
});
