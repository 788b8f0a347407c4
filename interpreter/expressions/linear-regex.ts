/**
 * The regex engine runbook expressions use: RE2 semantics (the `re2js` port, pure JavaScript),
 * which matches in time linear in the text, so no pattern can backtrack for minutes in one call
 * the step budget cannot interrupt (JavaScript's RegExp can: `/^(a+)+$/`). It implements what
 * JSONata asks of its `RegexEngine` (`new Engine(regexp)`, `lastIndex`, `exec`). RE2 has no
 * back-references or look-arounds: such a pattern does not compile, and the validator reports it
 * (RB_REGEX_UNSUPPORTED). Sandbox-safe.
 */
import { RE2JS } from 're2js';

export class LinearRegex {
  lastIndex = 0;
  private readonly compiled: RE2JS;

  constructor(pattern: RegExp) {
    this.compiled = compileLinear(pattern);
  }

  /** RegExp#exec with the global flag's semantics: from `lastIndex`, which moves past the match (0 when none). */
  exec(text: string): RegExpExecArray | null {
    const matcher = this.compiled.matcher(text);
    if (this.lastIndex > text.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const parts: (string | undefined)[] = [];
    for (let group = 0; group <= matcher.groupCount(); group++) parts.push(matcher.group(group) ?? undefined);
    const match = Object.assign(parts, { index: matcher.start(), input: text }) as unknown as RegExpExecArray;
    this.lastIndex = matcher.end();
    return match;
  }
}

/** The RE2 form of a JavaScript regex literal; throws (RE2JSSyntaxException) for what RE2 cannot do. */
export function compileLinear(pattern: RegExp): RE2JS {
  let flags = 0;
  if (pattern.flags.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
  if (pattern.flags.includes('m')) flags |= RE2JS.MULTILINE;
  if (pattern.flags.includes('s')) flags |= RE2JS.DOTALL;
  return RE2JS.compile(pattern.source, flags);
}
