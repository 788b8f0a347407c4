/**
 * The JSON-Schema form (rjsf + its ajv8 validator). Loaded on demand by `SchemaForm` (index.tsx):
 * rjsf and ajv are the app's heaviest parts and the inbox never needs them.
 */
import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { RegistryFieldsType, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useMemo } from 'react';
import { templates, widgets, withTitles } from './rjsf-templates.tsx';
import type { SchemaFormProps } from './schema-form-props.ts';

export default function RjsfForm({ schema, value, onChange, onSubmit, idPrefix, disabled, children, uiSchema, id, fields }: SchemaFormProps) {
  const titled = useMemo(() => withTitles(schema as RJSFSchema), [schema]);
  const handleChange = (event: IChangeEvent<unknown, RJSFSchema>): void => onChange(event.formData);
  const handleSubmit = (event: IChangeEvent<unknown, RJSFSchema>): void => onSubmit(event.formData);
  return (
    <Form<unknown, RJSFSchema>
      className="schema-form"
      id={id}
      schema={titled}
      templates={templates}
      widgets={widgets}
      uiSchema={uiSchema as UiSchema | undefined}
      fields={fields as RegistryFieldsType<unknown, RJSFSchema> | undefined}
      validator={validator}
      formData={value}
      onChange={handleChange}
      onSubmit={handleSubmit}
      idPrefix={idPrefix}
      disabled={disabled}
      noHtml5Validate
      showErrorList={false}
      focusOnFirstError
    >
      {children}
    </Form>
  );
}
