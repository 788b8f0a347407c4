/**
 * A Lucide icon picker searchable by name (and alias): the name list (`assets/icons/index.json`,
 * made by console/lucide-icon-shards.ts) is fetched when the picker first opens; previews come from
 * the icon shards like every step icon. The format's icon is the PascalCase name (`CalendarPlus`).
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { lucideName, StepIcon } from '../../shared/ui/step-icon.tsx';

const MAX_SHOWN = 60;

let names: Promise<readonly (readonly string[])[]> | null = null;
const loadNames = (): Promise<readonly (readonly string[])[]> =>
  (names ??= fetch('/assets/icons/index.json')
    .then((response) => (response.ok ? (response.json() as Promise<string[][]>) : []))
    .catch(() => {
      names = null;
      return [];
    }));

/** `calendar-plus` → `CalendarPlus`; null when the format's name would not lead back to the icon. */
export function pascalName(kebab: string): string | null {
  const pascal = kebab.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return /^[A-Z][A-Za-z0-9]*$/.test(pascal) && lucideName(pascal) === kebab ? pascal : null;
}

interface Choice {
  readonly name: string;
  readonly kebab: string;
  readonly aliases: readonly string[];
}

function search(all: readonly Choice[], query: string): Choice[] {
  const words = query.toLowerCase().trim().split(/[\s-]+/).filter(Boolean);
  if (!words.length) return all.slice(0, MAX_SHOWN);
  const scored: [number, Choice][] = [];
  for (const choice of all) {
    const haystacks = [choice.kebab, ...choice.aliases];
    if (!words.every((word) => haystacks.some((hay) => hay.includes(word)))) continue;
    const joined = words.join('-');
    const score = choice.kebab === joined ? 0 : choice.kebab.startsWith(joined) ? 1 : haystacks.some((hay) => hay.startsWith(joined)) ? 2 : 3;
    scored.push([score, choice]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].kebab.length - b[1].kebab.length).slice(0, MAX_SHOWN).map(([, choice]) => choice);
}

export function IconPicker({ value, onChange, describedBy }: { readonly value: string | null; readonly onChange: (icon: string | null) => void; readonly describedBy?: string }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [all, setAll] = useState<readonly Choice[] | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    searchRef.current?.focus();
    if (all) return;
    void loadNames().then((list) => {
      const choices: Choice[] = [];
      for (const [kebab, ...aliases] of list) {
        const name = kebab ? pascalName(kebab) : null;
        if (name && kebab) choices.push({ name, kebab, aliases });
      }
      setAll(choices);
    });
  }, [open, all]);
  const shown = useMemo(() => (all ? search(all, query) : []), [all, query]);
  const choose = (name: string | null): void => {
    onChange(name);
    setOpen(false);
    setQuery('');
  };
  return (
    <div className="icon-picker">
      <div className="icon-current">
        <span className="step-icon" aria-hidden="true"><StepIcon name={value} size={18} /></span>
        <span className="mono">{value ?? 'no icon'}</span>
        <button type="button" className="button button-quiet small" aria-expanded={open} aria-controls={`${id}-panel`} aria-describedby={describedBy} onClick={() => setOpen((was) => !was)} data-testid="editor-icon-picker-open">
          {open ? 'Close' : 'Choose an icon'}
        </button>
        {value ? <button type="button" className="button button-quiet small" onClick={() => choose(null)}>Remove icon</button> : null}
      </div>
      {open ? (
        <div className="icon-panel" id={`${id}-panel`} data-testid="editor-icon-picker">
          <label htmlFor={`${id}-search`}>Search icons by name</label>
          <input
            ref={searchRef}
            id={`${id}-search`}
            type="search"
            value={query}
            placeholder="e.g. calendar, upload, check"
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => { if (event.key === 'Escape') { event.preventDefault(); setOpen(false); } }}
            data-testid="editor-icon-search"
          />
          <p className="muted small" role="status" aria-live="polite">
            {!all ? 'Loading the icon names…' : shown.length ? `${shown.length === MAX_SHOWN ? `First ${MAX_SHOWN}` : shown.length} icon${shown.length === 1 ? '' : 's'}` : 'No icon has that name.'}
          </p>
          <ul className="icon-grid" aria-label="Icons">
            {shown.map((choice) => (
              <li key={choice.kebab}>
                <button
                  type="button"
                  className="icon-choice"
                  aria-pressed={choice.name === value}
                  title={choice.aliases.length ? `${choice.name} (also: ${choice.aliases.join(', ')})` : choice.name}
                  onClick={() => choose(choice.name)}
                  data-testid={`editor-icon-${choice.name}`}
                >
                  <StepIcon name={choice.name} size={20} />
                  <span className="icon-choice-name">{choice.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
