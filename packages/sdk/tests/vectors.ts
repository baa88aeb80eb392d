/** Published test vectors the SDK's auth helpers are checked against (plain data: importing it loads no SDK code). */

/** X's documentation example of an OAuth 1.0a signature: POST statuses/update with a form body. */
export const X_DOC_OAUTH1 = {
  request: {
    method: 'POST',
    url: 'https://api.x.com/1.1/statuses/update.json?include_entities=true',
    consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
    consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
    token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    form: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
    nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
    timestamp: 1318622958,
  },
  signature: 'Ls93hJiZbQ3akF3HF3x1Bz8/zU4=',
} as const;
