/** The query GraphiQL opens with: it answers on the demo data without signing in. */
export const STARTER_QUERY = `# Welcome to Berth. Press the run button (or Ctrl-Enter) to list the
# repositories you may see with their newest tags. Anonymous callers see
# public repositories; to see private ones, set the Authorization header in
# the Headers tab below, e.g. "Bearer berth_..." (an access token) or
# "Basic " + base64("name:password"). The Docs button lists every field.
query Repositories {
  repositories(first: 10) {
    nodes {
      fullName
      publicity
      pullCount
      latestTag {
        name
        size
        pushedAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

/** Shown in the Headers tab; an empty Authorization header means anonymous. */
export const STARTER_HEADERS = `{
  "Authorization": ""
}`;
