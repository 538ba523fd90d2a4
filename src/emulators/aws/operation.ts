import type { JsonObject } from './input.js';

/** Handles one operation: takes the decoded request body, returns the response body or throws `AwsServiceError`. */
export type OperationHandler = (input: JsonObject) => unknown;

/** A service's operations by name (`GetParameter`, …). */
export type OperationTable = Readonly<Record<string, OperationHandler>>;
