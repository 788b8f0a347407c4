import type { ReactNode } from 'react';

export interface SchemaFormProps {
  /** A JSON Schema (a runbook's input, a signal's payload, a review's corrections). */
  readonly schema: object;
  /** The form's value: kept by the caller, so a rejected submission keeps what was typed. */
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  /** Called with the value once it satisfies the schema. */
  readonly onSubmit: (value: unknown) => void;
  /** Prefix of the fields' ids (several forms on one page). */
  readonly idPrefix: string;
  readonly disabled?: boolean;
  /** The submit button(s): rendered in place of rjsf's default one. */
  readonly children: ReactNode;
  /** The <form>'s id, so a button elsewhere on the page can submit it (`form="ID"`). */
  readonly id?: string;
  /** rjsf's uiSchema, for widgets and labels. */
  readonly uiSchema?: object;
  /** Custom rjsf fields by name (`ui:field` in the uiSchema picks one), e.g. the editor's YAML value field. */
  readonly fields?: object;
}
