import { AwsServiceError, constraintError } from '../errors.js';

/** SSM errors whose model names the message member `message` (the others use `Message`). */
const LOWERCASE_MESSAGE = new Set([
  'ParameterNotFound',
  'ParameterVersionNotFound',
  'ParameterAlreadyExists',
  'InvalidFilterOption',
  'HierarchyLevelLimitExceededException',
  'ParameterPatternMismatchException',
  'ParameterMaxVersionLimitExceeded',
  'ParameterVersionLabelLimitExceeded',
  'UnsupportedParameterType',
  'InvalidAllowedPatternException',
]);

/** An SSM error with the message member its model declares. */
export function ssmError(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, message, { messageKey: LOWERCASE_MESSAGE.has(code) ? 'message' : 'Message' });
}

/** `ParameterNotFound` for a name (selectors included as given). */
export function parameterNotFound(name: string): AwsServiceError {
  return ssmError('ParameterNotFound', `Parameter ${name} not found.`);
}

/** Parameter types. */
export const PARAMETER_TYPES = ['String', 'StringList', 'SecureString'] as const;
/** A parameter type. */
export type ParameterType = (typeof PARAMETER_TYPES)[number];
/** Parameter tiers as stored (Intelligent-Tiering resolves to one of these). */
export type ParameterTier = 'Standard' | 'Advanced';

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const MAX_LEVELS = 15;
const RESERVED_PATH_MESSAGE =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of ' +
  'sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following ' +
  '3 symbols .-_';

/** Validates a parameter name for writing, as PutParameter does. */
export function validateParameterName(name: string): void {
  if (name.length < 1 || name.length > 2048) {
    throw constraintError('name', name, 'Member must have length less than or equal to 2048');
  }
  const bare = name.toLowerCase().replace(/^\/+/, '');
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    const isPath = (name.match(/\//g)?.length ?? 0) > 1;
    if (isPath && name.toLowerCase().startsWith('/aws')) {
      throw new AwsServiceError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
    }
    throw ssmError(
      'ValidationException',
      isPath ? RESERVED_PATH_MESSAGE : 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    );
  }
  if (!NAME_CHARS.test(name) || name.includes('//') || (name.length > 1 && name.endsWith('/'))) {
    throw ssmError('ValidationException', RESERVED_PATH_MESSAGE);
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw ssmError('ValidationException', 'Parameter name must be a fully qualified name.');
  }
  if ((name.match(/\//g)?.length ?? 0) > MAX_LEVELS) {
    throw ssmError(
      'HierarchyLevelLimitExceededException',
      `Parameter name hierarchy can't have more than ${MAX_LEVELS} levels.`,
    );
  }
}

/** Validates a hierarchy path for GetParametersByPath and the `Path` filter; returns it without a trailing `/`. */
export function normalizePath(path: string): string {
  if (!path.startsWith('/') || path.includes('//') || !/^[a-zA-Z0-9_.\-/]*$/.test(path)) {
    throw ssmError(
      'ValidationException',
      "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward " +
        'slash "/". It must use only letters, numbers, or the following symbols: . (period), - (hyphen), ' +
        '_ (underscore). All sub-paths, if specified, must use the forward slash symbol "/".',
    );
  }
  if ((path.match(/\//g)?.length ?? 0) > MAX_LEVELS) {
    throw ssmError('HierarchyLevelLimitExceededException', `A path can't have more than ${MAX_LEVELS} levels.`);
  }
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Byte limits per tier: Standard 4 KB, Advanced 8 KB. */
const VALUE_LIMITS: Record<ParameterTier, number> = { Standard: 4096, Advanced: 8192 };

/** Picks the stored tier from the requested one and the value size (Intelligent-Tiering picks the smallest fit). */
export function resolveTier(
  requested: string | undefined,
  previous: ParameterTier | undefined,
  value: string,
): ParameterTier {
  const size = Buffer.byteLength(value, 'utf8');
  if (requested !== undefined && !['Standard', 'Advanced', 'Intelligent-Tiering'].includes(requested)) {
    throw constraintError(
      'tier',
      requested,
      'Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]',
    );
  }
  let tier: ParameterTier;
  if (requested === 'Intelligent-Tiering') tier = size > VALUE_LIMITS.Standard ? 'Advanced' : 'Standard';
  else tier = (requested as ParameterTier | undefined) ?? previous ?? 'Standard';
  if (previous === 'Advanced' && tier === 'Standard') {
    if (requested === 'Intelligent-Tiering') tier = 'Advanced';
    else {
      throw ssmError(
        'ValidationException',
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the " +
          'advanced-parameter tier to the standard-parameter tier.',
      );
    }
  }
  if (size > VALUE_LIMITS[tier]) {
    throw ssmError(
      'ValidationException',
      tier === 'Standard'
        ? 'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger ' +
            'parameter value, upgrade the parameter to use the advanced-parameter tier.'
        : 'Advanced tier parameters support a maximum parameter value of 8192 characters.',
    );
  }
  return tier;
}

/** A label is valid unless it starts with aws/ssm or a digit, or uses characters outside `[a-zA-Z0-9_.-]`. */
export function isValidLabel(label: string): boolean {
  const lower = label.toLowerCase();
  return (
    label.length >= 1 &&
    label.length <= 100 &&
    !lower.startsWith('aws') &&
    !lower.startsWith('ssm') &&
    !/^[0-9]/.test(label) &&
    /^[a-zA-Z0-9_.-]+$/.test(label)
  );
}

/** A name as given to GetParameter: the bare name and an optional `:version` or `:label` selector. */
export interface ParameterSelector {
  /** The parameter name without selector. */
  name: string;
  /** True when given as an ARN: the name may then lack its leading `/`. */
  fromArn: boolean;
  /** A version number, when the selector is numeric. */
  version?: number;
  /** A label, when the selector is not numeric. */
  label?: string;
}

/** Splits `name:selector`; also accepts the parameter's ARN in place of the name. */
export function parseSelector(input: string): ParameterSelector {
  const arn = /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter\/(.*)$/.exec(input);
  const parts = (arn ? (arn[1] ?? '') : input).split(':');
  if (parts.length > 2) throw ssmError('ValidationException', `Invalid parameter name: ${input}`);
  const [name = '', selector] = parts;
  const fromArn = arn !== null;
  if (selector === undefined) return { name, fromArn };
  if (/^[0-9]+$/.test(selector)) return { name, fromArn, version: Number(selector) };
  return { name, fromArn, label: selector };
}
