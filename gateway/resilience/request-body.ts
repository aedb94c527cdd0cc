/**
 * The JSON body of a subgraph request, byte for byte what `JSON.stringify({ query, operationName,
 * variables, extensions })` gives, built from a cached prefix: a plan node sends the same query
 * text (often kilobytes of entity selections) on every request, so its escaped form is made once
 * and only the variables (the representations) are serialised per call.
 */
export interface SubgraphRequestBodies {
  bodyOf(query: string, operationName: string | null | undefined, variables: unknown, extensions: unknown): string;
}

export function createSubgraphRequestBodies(maxPrefixes = 1000): SubgraphRequestBodies {
  const prefixes = new Map<string, string>();
  return {
    bodyOf(query, operationName, variables, extensions) {
      const key = operationName === undefined ? query : `${JSON.stringify(operationName)}\n${query}`;
      let prefix = prefixes.get(key);
      if (prefix === undefined) {
        prefix = `{"query":${JSON.stringify(query)}${operationName === undefined ? '' : `,"operationName":${JSON.stringify(operationName)}`}`;
        // Bounded: distinct plan nodes are few, but a client must not grow this without limit.
        if (prefixes.size >= maxPrefixes) prefixes.clear();
        prefixes.set(key, prefix);
      }
      let body = prefix;
      if (variables !== undefined) body += `,"variables":${JSON.stringify(variables)}`;
      if (extensions !== undefined) body += `,"extensions":${JSON.stringify(extensions)}`;
      return `${body}}`;
    },
  };
}
