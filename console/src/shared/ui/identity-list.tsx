/** The input fields that identify a run (entity, period) as a compact definition list. */
import { identityPairs } from '../format.ts';

export function IdentityList({ identity }: { readonly identity: Readonly<Record<string, unknown>> | undefined }) {
  const pairs = identityPairs(identity);
  if (pairs.length === 0) return null;
  return (
    <dl className="identity">
      {pairs.map(([key, value]) => (
        <div key={key} className="identity-pair">
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
