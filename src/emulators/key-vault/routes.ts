/**
 * The Key Vault secrets operations the emulator serves, named by method and path template. These names key
 * `stats.calls` and fault filters.
 * @module
 */
import { serviceErrors } from './errors.js';

/** Every operation, as `METHOD /path/{template}` (one per operation of the REST spec). */
export const KEY_VAULT_ROUTES = [
  'PUT /secrets/{name}',
  'GET /secrets/{name}/{version}',
  'PATCH /secrets/{name}/{version}',
  'DELETE /secrets/{name}',
  'GET /secrets',
  'GET /secrets/{name}/versions',
  'POST /secrets/{name}/backup',
  'POST /secrets/restore',
  'GET /deletedsecrets',
  'GET /deletedsecrets/{name}',
  'DELETE /deletedsecrets/{name}',
  'POST /deletedsecrets/{name}/recover',
] as const;

/**
 * One Key Vault operation, e.g. `'GET /secrets/{name}/{version}'` (getSecret; the latest version is the empty
 * version, `GET /secrets/{name}/`).
 */
export type KeyVaultRoute = (typeof KEY_VAULT_ROUTES)[number];

/** A request matched to an operation. `version` is `''` for the latest version. */
export interface RouteMatch {
  route: KeyVaultRoute;
  name: string;
  version: string;
}

interface RouteEntry {
  route: KeyVaultRoute;
  segments: readonly string[];
}

// Literal segments must come before `{version}` so `/versions` and `/backup` are not taken for version ids.
const TABLE: readonly RouteEntry[] = [
  { route: 'GET /secrets', segments: ['secrets'] },
  { route: 'POST /secrets/restore', segments: ['secrets', 'restore'] },
  { route: 'GET /secrets/{name}/versions', segments: ['secrets', '{name}', 'versions'] },
  { route: 'POST /secrets/{name}/backup', segments: ['secrets', '{name}', 'backup'] },
  { route: 'PUT /secrets/{name}', segments: ['secrets', '{name}'] },
  { route: 'DELETE /secrets/{name}', segments: ['secrets', '{name}'] },
  { route: 'GET /secrets/{name}/{version}', segments: ['secrets', '{name}'] },
  { route: 'GET /secrets/{name}/{version}', segments: ['secrets', '{name}', '{version}'] },
  { route: 'PATCH /secrets/{name}/{version}', segments: ['secrets', '{name}', '{version}'] },
  { route: 'GET /deletedsecrets', segments: ['deletedsecrets'] },
  { route: 'GET /deletedsecrets/{name}', segments: ['deletedsecrets', '{name}'] },
  { route: 'DELETE /deletedsecrets/{name}', segments: ['deletedsecrets', '{name}'] },
  { route: 'POST /deletedsecrets/{name}/recover', segments: ['deletedsecrets', '{name}', 'recover'] },
];

/**
 * Finds the operation for a method and URL path; throws 404 for an unknown path, 405 for a known path with
 * another method, and 400 for a path that is not valid percent-encoding.
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const segments = pathname.replace(/^\//, '').split('/').map(decodeSegment);
  // `/secrets/` (an empty name) is the collection itself, as on the real service: `PUT /secrets/` answers 405.
  if (segments.length === 2 && segments[1] === '') segments.pop();
  let pathKnown = false;
  for (const entry of TABLE) {
    const params = matchSegments(entry.segments, segments);
    if (!params) continue;
    pathKnown = true;
    if (entry.route.startsWith(`${method.toUpperCase()} `)) return { route: entry.route, ...params };
  }
  throw pathKnown ? serviceErrors.methodNotAllowed(method) : serviceErrors.notFound(pathname);
}

function matchSegments(pattern: readonly string[], actual: readonly string[]) {
  if (pattern.length !== actual.length) return undefined;
  const params = { name: '', version: '' };
  for (const [index, expected] of pattern.entries()) {
    const segment = actual[index] ?? '';
    if (expected === '{name}') {
      if (!segment) return undefined;
      params.name = segment;
    } else if (expected === '{version}') {
      params.version = segment;
    } else if (expected !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw serviceErrors.badParameter('The request URI is not valid percent-encoding.');
  }
}
