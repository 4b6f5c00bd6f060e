// The in-page side of scripts/bench.sh, bundled once with each library's GoTrueClient:
// records when INITIAL_SESSION arrives (milliseconds since navigation start) and offers a
// getSession() loop on the warm client. The auth server's URL and the storage key come in
// the query string.
export function attach(GoTrueClient) {
  const params = new URLSearchParams(location.search);
  const client = new GoTrueClient({ url: params.get('auth'), storageKey: params.get('key') });
  client.onAuthStateChange((event, session) => {
    if (event === 'INITIAL_SESSION') {
      const at = performance.now();
      const [navigation] = performance.getEntriesByType('navigation');
      window.initialSession = { at, sinceHtml: at - navigation.responseEnd, signedIn: session !== null };
    }
  });

  /** Calls getSession() back to back for `ms` milliseconds; resolves to the number of calls. */
  window.getSessionLoop = async (ms) => {
    let calls = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const { data, error } = await client.getSession();
      if (error || !data.session) throw new Error(`getSession() returned ${error ? error.message : 'no session'}`);
      calls += 1;
    }
    return calls;
  };
}
