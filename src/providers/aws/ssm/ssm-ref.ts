import { InvalidSecretRefError, type SecretRef, ValidationError } from '../../../provider-kit/index.js';

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const LABEL = /^[a-zA-Z_.-][a-zA-Z0-9_.-]{0,99}$/;
const MAX_NAME = 2048;
const MAX_LEVELS = 15;

function invalid(ref: SecretRef | string, why: string): InvalidSecretRefError {
  const text = typeof ref === 'string' ? ref : ref.text;
  return new InvalidSecretRefError(`'${text}' is not a Parameter Store ref: ${why}`, {
    ref: text,
    provider: 'aws-ssm',
  });
}

function checkName(name: string, ref: SecretRef): void {
  if (name.length < 1 || name.length > MAX_NAME) throw invalid(ref, `a name has 1 to ${MAX_NAME} characters`);
  if (!NAME_CHARS.test(name)) throw invalid(ref, 'a name uses only letters, digits and _ . - /');
  if (name.includes('/') && !name.startsWith('/')) throw invalid(ref, "a hierarchical name starts with '/'");
  if (name.includes('//') || (name.length > 1 && name.endsWith('/'))) throw invalid(ref, 'empty path segment');
  if ((name.match(/\//g)?.length ?? 0) > MAX_LEVELS) throw invalid(ref, `at most ${MAX_LEVELS} path levels`);
}

/**
 * Checks an `aws-ssm:` ref. The version part selects a version when it is a number (`@3`) and a label otherwise
 * (`@prod`): Parameter Store labels cannot start with a digit, so the two never collide.
 */
export function validateSsmRef(ref: SecretRef): void {
  checkName(ref.name, ref);
  const version = ref.version;
  if (version === undefined || /^[1-9][0-9]{0,18}$/.test(version)) return;
  if (!LABEL.test(version) || /^(aws|ssm)/i.test(version)) {
    throw invalid(
      ref,
      `'@${version}' is neither a version number nor a label (letters, digits, _ . -; no leading digit)`,
    );
  }
}

/** Names `aws…` and `ssm…` are reserved by AWS: they can be read (public parameters) but not written. */
export function assertWritableName(ref: SecretRef): void {
  if (/^\/?(aws|ssm)/i.test(ref.name)) {
    throw new ValidationError(`'${ref.text}': names starting with 'aws' or 'ssm' are reserved by AWS`, {
      ref: ref.text,
      provider: 'aws-ssm',
    });
  }
}

/** The name as the API takes it: `name`, `name:3` or `name:label`. */
export function ssmSelector(ref: SecretRef): string {
  return ref.version === undefined ? ref.name : `${ref.name}:${ref.version}`;
}

/** The `Path` of a by-path listing: the prefix without a trailing `/` (the root stays `/`). */
export function ssmListPath(prefix: SecretRef): string {
  const name = prefix.name === '' ? '/' : prefix.name;
  if (!name.startsWith('/')) {
    throw invalid(prefix, "Parameter Store lists by path: the prefix starts with '/' (e.g. 'aws-ssm:/prod/')");
  }
  const path = name.length > 1 ? name.replace(/\/+$/, '') : name;
  if (path !== '/') checkName(path, prefix);
  return path;
}
