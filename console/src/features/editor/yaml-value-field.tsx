/**
 * An rjsf field for values the schema leaves open (a call's `args`, a review's `payload`, a JSON
 * Schema): the value as YAML text, parsed as it is typed; text that does not parse says why and
 * changes nothing. Expressions stay strings (`'{% $input.period %}'`).
 */
import type { FieldProps } from '@rjsf/utils';
import { useEffect, useState } from 'react';
import { parse, stringify } from 'yaml';
import { sameValue } from './field-diff.ts';

const show = (value: unknown): string => (value === undefined ? '' : stringify(value, { lineWidth: 0 }).replace(/\n$/, ''));

export function YamlValueField({ formData, onChange, fieldPathId, name, schema, disabled, readonly }: FieldProps) {
  const [text, setText] = useState(() => show(formData));
  const [problem, setProblem] = useState<string | null>(null);
  // Another edit (the YAML view, an operation) changed the value: show it, unless it is what is typed.
  useEffect(() => {
    setText((current) => {
      try {
        if (sameValue(current.trim() ? parse(current) : undefined, formData)) return current;
      } catch {
        // the typed text does not parse: the new value replaces it
      }
      setProblem(null);
      return show(formData);
    });
  }, [formData]);
  const change = (next: string): void => {
    setText(next);
    try {
      const value: unknown = next.trim() ? parse(next) : undefined;
      setProblem(null);
      onChange(value, fieldPathId.path);
    } catch (error) {
      setProblem(error instanceof Error ? error.message.split('\n')[0] ?? 'not YAML' : 'not YAML');
    }
  };
  const id = fieldPathId.$id;
  const title = typeof schema.title === 'string' ? schema.title : name;
  return (
    <div className="yaml-value">
      <label htmlFor={id}>{title}</label>
      {typeof schema.description === 'string' ? <p className="field-description" id={`${id}-description`}>{schema.description}</p> : null}
      <textarea
        id={id}
        className="yaml-value-text"
        value={text}
        rows={Math.min(14, Math.max(2, text.split('\n').length + 1))}
        spellCheck={false}
        disabled={disabled || readonly}
        aria-describedby={`${id}-description${problem ? ` ${id}-problem` : ''}`}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => change(event.target.value)}
      />
      {problem ? <p className="field-problem" id={`${id}-problem`}>Not saved into the step: {problem}</p> : <p className="field-hint">YAML, as in the file.</p>}
    </div>
  );
}
