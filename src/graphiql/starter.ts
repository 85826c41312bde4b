/** The query GraphiQL opens with: it answers on the demo data without signing in. */
export const STARTER_QUERY = `# Welcome to Berth! Run this query with
# ▶ or Ctrl-Enter.
#
# Anonymous callers see public
# repositories; to see private ones,
# set Authorization under Headers:
#   "Bearer berth_..." (access token)
#   "Basic " + base64("name:password")
# Docs (book icon) lists every field.
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
