/**
 * fast-check's seed for `npm test`: fixed, so that a run is reproducible and CI's verdict is the code's, not the draw's
 * (Hypothesis's profile for CI derandomizes the same way). A property test that fails prints its seed and the shrunk
 * counterexample; the input belongs in a plain test beside it once the bug is mended.
 *
 * `HUIBIAN_PROPERTY_SEED=random npm test` draws a new seed for every property, which is how the properties go
 * looking for new counterexamples (the fast Markdown path's code-span padding was found that way); any number picks
 * that seed. A test that passes its own `seed` keeps it.
 */
import fc from 'fast-check';

const chosen = process.env.HUIBIAN_PROPERTY_SEED ?? '20261207';
if (chosen !== 'random') {
  const seed = Number(chosen);
  if (!Number.isInteger(seed)) throw new Error(`HUIBIAN_PROPERTY_SEED must be an integer or "random", not ${JSON.stringify(chosen)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
