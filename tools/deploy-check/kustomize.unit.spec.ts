import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderKustomization, strategicMerge, type Manifest } from './kustomize';

const k8s = resolve(__dirname, '../../deploy/k8s');

function kubectlKustomize(dir: string): Manifest[] | undefined {
  try {
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return parseAllDocuments(out).map((d) => d.toJS() as Manifest);
  } catch {
    return undefined;
  }
}
const byId = (resources: readonly Manifest[]) => new Map(resources.map((r) => [`${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`, r]));
const hasKubectl = kubectlKustomize(join(k8s, 'base')) !== undefined;

describe('kustomization rendering', () => {
  (hasKubectl ? it.each : it.skip.each)(['base', 'overlays/dev', 'overlays/prod'])('renders %s exactly as `kubectl kustomize` does (run where kubectl is installed)', (dir) => {
    expect(byId(renderKustomization(join(k8s, dir)))).toEqual(byId(kubectlKustomize(join(k8s, dir))!));
  });

  it('prod: namespace, image, replicas and the patched containers', () => {
    const resources = renderKustomization(join(k8s, 'overlays/prod'));
    expect(new Set(resources.map((r) => r.metadata.namespace))).toEqual(new Set(['oms']));
    const sourcing = resources.find((r) => r.kind === 'Deployment' && r.metadata.name === 'sourcing') as Manifest & {
      spec: { replicas: number; template: { spec: { containers: { image: string; resources: unknown; env: unknown[] }[] } } };
    };
    expect(sourcing.spec.replicas).toBe(3);
    const [container] = sourcing.spec.template.spec.containers;
    expect(container!.image).toBe('registry.example.com/dropship-oms:0.1.0');
    expect(container!.resources).toEqual({ requests: { cpu: '250m', memory: '384Mi' }, limits: { cpu: '2', memory: '768Mi' } });
    // The patch merges into the container named `service`: its env stays.
    expect(container!.env.length).toBeGreaterThan(0);
  });

  it('strategic merge: maps merge, null deletes, containers and env merge by name, other lists are replaced', () => {
    const target = {
      spec: {
        containers: [{ name: 'a', image: 'x:1', env: [{ name: 'A', value: '1' }], args: ['--one'] }, { name: 'b', image: 'y:1' }],
        volumes: [{ name: 'tmp', emptyDir: {} }],
        dnsPolicy: 'ClusterFirst',
      },
    };
    const patch = { spec: { containers: [{ name: 'a', env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }], args: ['--two'] }], dnsPolicy: null } };
    expect(strategicMerge(target, patch)).toEqual({
      spec: {
        containers: [{ name: 'a', image: 'x:1', env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }], args: ['--two'] }, { name: 'b', image: 'y:1' }],
        volumes: [{ name: 'tmp', emptyDir: {} }],
      },
    });
  });

  it('refuses what it does not implement instead of ignoring it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kustomize-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\ncommonLabels: { team: oms }\n');
      expect(() => renderKustomization(dir)).toThrow('not supported by this renderer: commonLabels');
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [cm.yaml]\npatches: [{ path: p.yaml }]\n');
      writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { A: "1" }\n');
      writeFileSync(join(dir, 'p.yaml'), '- op: replace\n  path: /data/A\n  value: "2"\n');
      expect(() => renderKustomization(dir)).toThrow('JSON 6902 patches are not supported');
      writeFileSync(join(dir, 'p.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: other }\ndata: { A: "2" }\n');
      expect(() => renderKustomization(dir)).toThrow('the patch matches no resource');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
