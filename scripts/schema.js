#!/usr/bin/env node
// `npm run schema`: write schema/huibian.schema.json and schema/case.schema.json from the zod schemas the code validates with.
// The generator is exported so test/lint.test.ts can check the committed files against fresh output from src/.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';

/** The published JSON Schemas, file name → text, from the config and case front-matter zod schemas. */
export function jsonSchemas({ configSchema, caseFrontMatterSchema }) {
  const convert = (schema, title) => {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      // What a user writes, not what the code gets: defaulted fields are optional.
      io: 'input',
      unrepresentable: 'any',
      override: (ctx) => {
        // YAML 1.1 readers may give a Date for an unquoted 2024-05; in the file it is text.
        if (ctx.zodSchema._zod.def.type === 'date') {
          ctx.jsonSchema.type = 'string';
          ctx.jsonSchema.pattern = '^\\d{4}-\\d{2}(-\\d{2})?$';
        }
      },
    });
    return JSON.stringify({ ...json, title }, null, 2) + '\n';
  };
  return {
    'huibian.schema.json': convert(configSchema, 'huibian.yaml'),
    'case.schema.json': convert(caseFrontMatterSchema, 'huibian 案例的前置元数据'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { configSchema } = await import('../dist/config/schema.js');
  const { caseFrontMatterSchema } = await import('../dist/case/schema.js');
  for (const [name, text] of Object.entries(jsonSchemas({ configSchema, caseFrontMatterSchema }))) {
    writeFileSync(new URL(`../schema/${name}`, import.meta.url), text);
    console.log(`schema/${name}`);
  }
}
