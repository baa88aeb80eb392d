/** Shared by bench/sdk.ts and bench/sdk-server.ts. */

/** The text of stream event i (the client checks it arrived intact): a third of them non-ASCII. */
export const streamText = (i: number) => (i % 3 === 0 ? `post ${i}: héllo wörld ✓ 日本語のテキスト 🐦🚀` : `post ${i}: hello world, plain ascii text`);
