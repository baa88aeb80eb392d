module.exports = { testEnvironment: 'node', testMatch: ['<rootDir>/jest/**/*.test.cjs'], testTimeout: 60_000 };
