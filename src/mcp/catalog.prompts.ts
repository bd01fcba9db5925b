import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const text = (t: string) => ({
  messages: [{ role: 'user' as const, content: { type: 'text' as const, text: t } }],
});

/**
 * Ready-made requests a person can pick in clients that show prompts (e.g. as slash commands). They
 * only phrase a task for the assistant; everything they lead to goes through the tools and their scopes.
 */
export function registerCatalogPrompts(server: McpServer): void {
  server.registerPrompt(
    'find_data',
    {
      title: 'Find data for a question',
      description:
        'Find the data products that can answer a question, check your access, and query them once you may.',
      argsSchema: z.object({
        question: z.string().min(3).max(2000).describe('What you want to find out.'),
      }),
    },
    ({ question }) =>
      text(
        [
          `Find data in our data product catalog to answer this question: ${question}`,
          '',
          '1. Call `search` with a few words from the question (try "*" with a status filter if nothing matches).',
          '2. Call `fetch` on the most promising data products: read their description, output ports and data contracts, and my access to each port.',
          '3. If I have no active access to the port you need, tell me and suggest a `request_access` call with a purpose; do not request it without asking me.',
          '4. Once access is active, answer with `execute_query` (one read-only SELECT, with the purpose of the question).',
          'Name the data product and output port behind every number you give me.',
        ].join('\n'),
      ),
  );
  server.registerPrompt(
    'review_access_requests',
    {
      title: 'Review access requests waiting for me',
      description:
        'Summarize the access requests you may decide, with a recommendation for each; nothing is decided without your confirmation.',
    },
    () =>
      text(
        [
          'Call `access_list` with view "to_approve" to get the access requests waiting for my decision.',
          'For each request, tell me who asks (person, team or data product), for which data product and output port, the purpose and the roles asked for.',
          'Check the port with `fetch` and its data contract with `datacontract_get` (classification of the columns, roles, terms of use) and recommend approve or reject with a one-line reason.',
          'Do not call `access_approve` or `access_reject` until I confirm each decision.',
        ].join('\n'),
      ),
  );
}
