/**
 * rjsf's default theme without Bootstrap: buttons that say what they do (the default ones show
 * glyph-font icons this app does not load), a textarea for long or multi-line strings (an input
 * would drop the newlines of a CSV pasted into `content`), and human titles for untitled fields.
 */
import { getDefaultRegistry } from '@rjsf/core';
import type { IconButtonProps, RJSFSchema, TemplatesType, WidgetProps } from '@rjsf/utils';

function TextButton({ title, className, iconType: _iconType, icon: _icon, uiSchema: _uiSchema, registry: _registry, ...rest }: IconButtonProps) {
  return (
    <button type="button" className={`btn ${className ?? ''}`} {...rest}>
      {title}
    </button>
  );
}

function AddButton({ title: _title, className, iconType: _iconType, icon: _icon, uiSchema: _uiSchema, registry: _registry, ...rest }: IconButtonProps) {
  return (
    <div className="array-add">
      <button type="button" className={`btn btn-add ${className ?? ''}`} {...rest}>
        + Add an item
      </button>
    </div>
  );
}

export const templates: Partial<TemplatesType> = {
  ButtonTemplates: {
    ...getDefaultRegistry().templates.ButtonTemplates,
    AddButton,
    CopyButton: (props: IconButtonProps) => <TextButton {...props} title="Copy" />,
    MoveDownButton: (props: IconButtonProps) => <TextButton {...props} title="Move down" />,
    MoveUpButton: (props: IconButtonProps) => <TextButton {...props} title="Move up" />,
    RemoveButton: (props: IconButtonProps) => <TextButton {...props} title="Remove" />,
  },
};

const { TextWidget: DefaultText, TextareaWidget, SelectWidget: DefaultSelect } = getDefaultRegistry().widgets;

/** rjsf's select; the chooser of an anyOf / oneOf (which has no label of its own) is labelled by its field. */
function LabelledSelectWidget(props: WidgetProps) {
  if (!/__(any|one)of_select$/.test(props.name)) return <DefaultSelect {...props} />;
  return (
    <label className="choice-select">
      <span className="sr-only">{`${props.label || 'Value'}: which kind`}</span>
      <DefaultSelect {...props} />
    </label>
  );
}

/** A text input, or a textarea once the value holds a newline or is long. */
function SmartTextWidget(props: WidgetProps) {
  const value = typeof props.value === 'string' ? props.value : '';
  if (props.schema.type === 'string' && !props.schema.enum && !props.schema.format && (value.includes('\n') || value.length > 120)) {
    return <TextareaWidget {...props} options={{ ...props.options, rows: Math.min(12, value.split('\n').length + 1) }} />;
  }
  return <DefaultText {...props} />;
}

export const widgets = { TextWidget: SmartTextWidget, SelectWidget: LabelledSelectWidget };

const humanize = (name: string): string => {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

type SchemaNode = RJSFSchema & { properties?: Record<string, RJSFSchema> };

/** A copy of the schema where every property without a `title` gets its name, humanized. */
export function withTitles(schema: RJSFSchema, depth = 0): RJSFSchema {
  if (depth > 12 || typeof schema !== 'object' || schema === null) return schema;
  const node = schema as SchemaNode;
  const out: SchemaNode = { ...node };
  if (node.properties) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, child]) => {
        const titled = typeof child === 'object' && child !== null && !('$ref' in child) && child.title === undefined ? { ...child, title: humanize(key) } : child;
        return [key, withTitles(titled, depth + 1)];
      }),
    );
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) out.items = withTitles(node.items as RJSFSchema, depth + 1);
  return out;
}
