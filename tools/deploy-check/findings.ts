/** One problem in a deployment file: which file, where in it, and what is wrong. */
export interface Finding {
  readonly file: string;
  /** A path inside the file (`services.kafka.healthcheck`) or a resource (`Deployment/sourcing`). */
  readonly where: string;
  readonly problem: string;
}

export const finding = (file: string, where: string, problem: string): Finding => ({ file, where, problem });

export const formatFinding = (f: Finding): string => `${f.file}${f.where ? ` ${f.where}` : ''}: ${f.problem}`;

/** `/spec/containers/0/image` (a JSON pointer, as JSON schema validators report) → `spec.containers[0].image`. */
export const pointerToPath = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === '' ? part : `${path}.${part}`), '');
