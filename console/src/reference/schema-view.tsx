// A schema as a reader wants it: each property with its type, whether it is required, and what it means; nested
// objects fold open on demand.
import { useTranslation } from 'react-i18next';
import { propertiesOf, type Schema, typeLabel } from './spec.js';

const MAX_DEPTH = 5;

function nestedOf(schema: Schema): Schema | null {
  const inner = schema.items ?? schema;
  const { properties } = propertiesOf(inner);
  return Object.keys(properties).length > 0 ? inner : null;
}

export function SchemaView({ schema, depth = 0 }: { schema: Schema; depth?: number }) {
  const { t } = useTranslation();
  const { properties, required } = propertiesOf(schema.items ?? schema);
  const names = Object.keys(properties);
  if (names.length === 0) return <p className="schema-type">{typeLabel(schema)}</p>;
  return (
    <ul className="schema">
      {names.map((name) => {
        const property = properties[name] ?? {};
        const nested = depth < MAX_DEPTH ? nestedOf(property) : null;
        const head = (
          <>
            <code className="schema-name">{name}</code> <span className="schema-type">{typeLabel(property)}</span>
            {required.includes(name) ? <span className="schema-required"> {t('reference.required')}</span> : null}
          </>
        );
        return (
          <li key={name}>
            {nested ? (
              <details>
                <summary>{head}</summary>
                {property.description ? <p className="schema-description">{property.description}</p> : null}
                <SchemaView schema={nested} depth={depth + 1} />
              </details>
            ) : (
              <>
                {head}
                {property.description ? <p className="schema-description">{property.description}</p> : null}
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
