/**
 * What the runbook mutator draws from: odd strings, numbers, durations, keys, handler names and
 * expressions, ordinary and hostile. Data only.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const STRINGS: readonly string[] = [
  '', ' ', 'continue', 'approved', 'rejected', 'corrected', '{%', '%}', '{% %}', '{% $ %}', 'x'.repeat(5_000), '\u0000', '🙂 ünïcödé',
  '__proto__', 'constructor', 'ledger.open_period', 'util.sleep', 'documents.extract', 'document-ingest', 'month-end-close', 'journal-proposal',
  'open_period', 'review_extraction', 'await_trial_balance', 'tb_submitted', '1s', '-1s', 'null', '${x}', 'a'.repeat(200), 'Bad Id!', '0',
];

export const NUMBERS: readonly number[] = [0, -1, 1, 2, 0.5, 1e21, -1e21, 2 ** 31, Number.MAX_SAFE_INTEGER + 2, 1e-9, 64, 1000];

export const DURATIONS: readonly string[] = [
  '0s', '1ms', '-1s', '10y', '999999999d', '1.5s', 'abc', '', '1h30m', 'PT1S', '0ms', '100ms', '1d', '5d', '3m', '2w', '1e3s', ' 5s', '5 s', '9007199254740993ms',
];

export const KEYS: readonly string[] = [
  '__proto__', 'constructor', 'prototype', 'bogus', 'call', 'review', 'wait', 'child', 'timer', 'when', 'on_error', 'goto', 'retry', 'timeout',
  'for_each', 'deadline', 'outcomes', 'local', 'concurrency', 'max_go_backs', 'signals', 'output', 'input', 'corrections', 'until', 'duration',
  'limits',
];

export const HANDLERS: readonly string[] = [
  'ledger.open_period', 'ledger.close_period', 'ledger.commit_trial_balance', 'ledger.propose_journal', 'ledger.post_journal',
  'documents.register_upload', 'documents.extract', 'documents.classify', 'documents.store', 'util.echo', 'util.add', 'util.fail',
  'ledger.open_perod', 'nope.handler', '',
];

export const SLUGS: readonly string[] = ['document-ingest', 'month-end-close', 'journal-proposal', 'no-such-runbook', 'Bad Slug'];

export const VALUES: readonly Json[] = [
  true, false, null, [], {}, [1, 'a', null], { goto: 'open_period' }, { fail: 'x' }, { goto: 'nowhere' }, 'continue', 7, { type: 'object' },
  { type: 'string', pattern: '(' }, [{ type: 'X', then: { goto: 'open_period' } }],
];

/** Expressions a runbook author could plausibly write, right or wrong. */
export const EXPRESSIONS: readonly string[] = [
  '{% $input %}', '{% $input.entity %}', '{% $steps %}', '{% $steps.open_period %}', '{% $steps.nope.value %}', '{% $signal %}', '{% $item %}',
  '{% $result %}', '{% 1 + %}', '{% $count($steps) %}', '{% $string($input) %}', '{% [1..5] %}', '{% $error("boom") %}', '{% $number("x") %}',
  '{% 1/0 %}', '{% $not(1) %}', '{% true %}', '{% false %}', '{% null %}', '{% "text" %}', '{% {"a": [1, 2]} %}', '{% $now() %}', '{% $millis() %}',
  '{% $keys($input) %}', '{% $lookup($input, "entity") %}', '{% $input.expected_documents[0] %}', '{% $sum([1, 2, "x"]) %}',
  '{% $append($input, $input) %}', '{% $merge([$input, {"entity": "other"}]) %}', '{% $exists($steps.open_period) %}', '{% $input.period & "-x" %}',
  '{% $substring($input.entity, -100, 1e9) %}', '{% $split("a,b", ",") %}', '{% $map([1, 2, 3], function($v) { $v * 2 }) %}', '{% ($x := 5; $x * $x) %}',
  '{% $boolean($input) %}', '{% $type($input) %}', '{% $fromMillis(1e20) %}', '{% $toMillis("garbage") %}', '{% $formatNumber(1e300, "#") %}',
  '{% $base64decode("%%%") %}', '{% $match("aaa", /a*/) %}', '{% $replace("abc", /b/, "x") %}', 'plain {% $input.entity %} text',
  '{% $steps.open_period.status %}', '{% $input.__proto__ %}', '{% $input.constructor %}', '{% $lookup($input, "constructor") %}',
  '{% $steps.ingest_documents[0] %}', '{% $signals %}', '{% $run.id %}', '{% $input.lines[0].account %}', '{% "a" = 1 %}', '{% [$input][5] %}',
];

/**
 * Expressions that run away (tail recursion), allocate without bound or compile code at run time:
 * the interpreter must fail them with a coded error, never hang or crash.
 */
export const HOSTILE_EXPRESSIONS: readonly string[] = [
  '{% ($f := function($n) { $f($n + 1) }; $f(0)) %}',
  '{% ($f := function($n) { $n + $f($n + 1) }; $f(0)) %}',
  '{% $count([1..10000000]) %}',
  '{% $pad("", 50000000) %}',
  '{% $eval("1 + 1") %}',
  '{% $join([1..1000000].$string(), ",") %}',
  '{% $reduce([1..200000], function($a, $v) { $a & "xxxxxxxxxx" }, "") %}',
];
