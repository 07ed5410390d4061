// ESLint flat config for the whole tree (`npm run lint`); the rules live in tooling/eslint.
export { default } from "@runboard/eslint-config/base";
