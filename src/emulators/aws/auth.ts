import type { IncomingHttpHeaders } from 'node:http';
import { type AwsServiceError, coralError } from './errors.js';

/**
 * Checks that a request carries a SigV4 `Authorization` header, as AWS's front end does before anything else,
 * without verifying the signature: any credentials are accepted.
 * Returns the error AWS would answer, or `undefined` when the request may proceed.
 */
export function checkSigV4Header(headers: IncomingHttpHeaders): AwsServiceError | undefined {
  const authorization = headers.authorization;
  if (!authorization?.trim().startsWith('AWS4-')) {
    return coralError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
  }
  const problems: string[] = [];
  for (const part of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!new RegExp(`\\b${part}=`).test(authorization))
      problems.push(`Authorization header requires '${part}' parameter.`);
  }
  if (headers['x-amz-date'] === undefined && headers.date === undefined) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (problems.length === 0) return undefined;
  // AWS echoes the header back; the signature part is dropped here so no credential material is repeated.
  return coralError('IncompleteSignatureException', problems.join(' '));
}
