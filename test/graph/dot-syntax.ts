/**
 * A small checker of the DOT the renderer writes (the subset it uses: `digraph ID { ... }` with
 * graph attributes, `node`/`edge` defaults, node statements and edges with attribute lists), so the
 * tests need no Graphviz. Returns the problem, or null. When Graphviz's `dot` is installed the
 * tests also run it.
 */
const TOKEN = /\s*("(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|-?[0-9]+(?:\.[0-9]+)?|->|[{}[\]=;,])/y;

function tokens(text: string): string[] | string {
  const found: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) return `unexpected text at ${at}: ${JSON.stringify(text.slice(at, at + 30))}`;
    found.push(match[1]);
    at = TOKEN.lastIndex;
  }
  return found;
}

const isId = (token: string | undefined): boolean => token !== undefined && /^("|[A-Za-z_0-9-])/.test(token) && token !== '->';

export function dotProblem(text: string): string | null {
  const list = tokens(text);
  if (typeof list === 'string') return list;
  let i = 0;
  const expect = (token: string): void => {
    if (list[i] !== token) throw new Error(`expected ${token} at token ${i}, got ${list[i]}`);
    i++;
  };
  const id = (): void => {
    if (!isId(list[i])) throw new Error(`expected an id at token ${i}, got ${list[i]}`);
    i++;
  };
  const attrList = (): void => {
    expect('[');
    while (list[i] !== ']') {
      id();
      expect('=');
      id();
      if (list[i] === ',') i++;
    }
    expect(']');
  };
  try {
    expect('digraph');
    id();
    expect('{');
    while (list[i] !== '}') {
      if (list[i] === 'node' || list[i] === 'edge') {
        i++;
        attrList();
      } else {
        id();
        if (list[i] === '=') {
          i++;
          id();
        } else if (list[i] === '->') {
          i++;
          id();
          if (list[i] === '[') attrList();
        } else if (list[i] === '[') attrList();
      }
      expect(';');
    }
    expect('}');
    if (i !== list.length) throw new Error(`text after the graph at token ${i}`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return null;
}
