// One operation of a document: what it does, its parameters, its body, its answers, and a form that sends it.
import { useTranslation } from 'react-i18next';
import type { Session } from '../api/session.js';
import { SchemaView } from './schema-view.js';
import type { Operation } from './spec.js';
import { typeLabel } from './spec.js';
import { TryIt, useSessionLocation } from './try-it.js';

export function OperationView({ operation, session }: { operation: Operation; session: Session | null }) {
  const { t } = useTranslation();
  const { location, ready } = useSessionLocation(session);
  return (
    <article className="operation" aria-labelledby="operation-title">
      <h1 id="operation-title">{operation.summary}</h1>
      <p className="operation-line">
        <span className={`method method-${operation.method.toLowerCase()}`}>{operation.method}</span>{' '}
        <code>{operation.path}</code>
      </p>
      {operation.description ? <p className="operation-description">{operation.description}</p> : null}

      <h2>{t('reference.parameters')}</h2>
      {operation.parameters.length === 0 ? (
        <p>{t('reference.noParameters')}</p>
      ) : (
        <div className="table-scroll">
          <table className="parameters">
            <thead>
              <tr>
                <th scope="col">{t('reference.name')}</th>
                <th scope="col">{t('reference.in')}</th>
                <th scope="col">{t('reference.type')}</th>
                <th scope="col">{t('reference.description')}</th>
              </tr>
            </thead>
            <tbody>
              {operation.parameters.map((parameter) => (
                <tr key={`${parameter.in}:${parameter.name}`}>
                  <td>
                    <code>{parameter.name}</code>
                    {parameter.required ? <span className="schema-required"> {t('reference.required')}</span> : null}
                  </td>
                  <td>{parameter.in}</td>
                  <td>{parameter.schema ? typeLabel(parameter.schema) : ''}</td>
                  <td>{parameter.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {operation.body ? (
        <>
          <h2>
            {t('reference.body')} <code className="content-type">{operation.body.contentType}</code>
          </h2>
          <SchemaView schema={operation.body.schema} />
        </>
      ) : null}

      <h2>{t('reference.responses')}</h2>
      <ul className="responses">
        {operation.responses.map((response) => (
          <li key={response.status}>
            {response.schema ? (
              <details>
                <summary>
                  <span className={`status status-${response.status[0]}xx`}>{response.status}</span>{' '}
                  {response.description}
                </summary>
                <SchemaView schema={response.schema} />
              </details>
            ) : (
              <>
                <span className={`status status-${response.status[0]}xx`}>{response.status}</span>{' '}
                {response.description}
              </>
            )}
          </li>
        ))}
      </ul>

      {!ready ? null : (
        <TryIt
          key={`${operation.method} ${operation.path}`}
          operation={operation}
          session={session}
          location={location}
        />
      )}
    </article>
  );
}
