/**
 * The cursor of the next page from an AWS `NextToken`: absent *or empty* means the listing is done. AWS omits the
 * token on the last page, but some AWS-compatible servers send `""` instead (moto's ListSecretVersionIds does), and
 * the SDK's own paginators stop on any falsy token; passing `""` back would ask for the same page again.
 */
export function nextPageToken(token: string | undefined | null): string | undefined {
  return token ? token : undefined;
}
