/** A small handler registry for the validation fixtures (test/cases/validation). */
import { z } from 'zod';
import { defineHandler, HandlerRegistry } from '../../interpreter/handlers/index.ts';

export const testHandlers = new HandlerRegistry([
  defineHandler({
    name: 'test.add',
    input: z.object({ a: z.number(), b: z.number() }),
    output: z.number(),
    async run({ a, b }) {
      return a + b;
    },
  }),
  defineHandler({
    name: 'test.ping',
    input: z.object({}),
    output: z.string(),
    async run() {
      return 'pong';
    },
  }),
  defineHandler({
    name: 'test.echo',
    input: z.strictObject({ message: z.string() }),
    output: z.string(),
    async run({ message }) {
      return message;
    },
  }),
]);
