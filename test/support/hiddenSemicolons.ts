// Statements whose `;` inside them is not a statement end (in a string, an E'' string, a dollar
// body, a DO block, nested comments, a line comment, parentheses, a quoted name): the texts a
// parser that cuts or re-parses a file in pieces must read as a whole parse does.
export const HIDDEN_SEMICOLONS: readonly string[] = [
  "INSERT INTO t (note) VALUES ('a;\nb ünï');",
  "INSERT INTO t (note) VALUES (E'it\\'s;\n');",
  'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND;\n$body$;',
  'DO $$ BEGIN\n  UPDATE t SET a = 1;\nEND $$;',
  '/* a comment; with /* nesting;\n */ still; */ SELECT 1;',
  '-- a line comment;\nSELECT (1\n);',
  'CREATE TABLE "semi;\ncolon" (a int);',
];
