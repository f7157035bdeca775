import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeFunctionBody } from '../src/catalog/normalize-body.js';
import { loadParser } from '../src/parse/parse-sql.js';

/**
 * Function bodies by meaning: layout, comments, keyword case, redundant parentheses and type spellings are
 * not drift; a changed operator, constant, condition, target or statement is. (The golden scenario
 * functions-and-procedures checks the same through real Postgres catalogs.)
 */
const plpgsql = (body: string) => `CREATE OR REPLACE FUNCTION public.f()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$${body}$function$`;
const norm = (language: string, body: string) => normalizeFunctionBody(language, body, language === 'plpgsql' ? plpgsql(body) : undefined);

beforeAll(() => loadParser());

describe('function bodies compared by meaning', () => {
  const same: Array<[string, string, string]> = [
    ['plpgsql', 'BEGIN NEW.updated_at := now(); RETURN NEW; END', '\n  -- touch\n  begin\n    new.updated_at   :=  NOW();  /* why */\n    return new;\n  end;'],
    ['plpgsql', 'DECLARE x int := 1; BEGIN IF x > 1 THEN RETURN NULL; END IF; RETURN NEW; END', 'declare X integer := (1); begin if (x > 1) then return null; end if; return new; end'],
    ['plpgsql', 'BEGIN PERFORM 1 FROM t WHERE a = 1; RETURN NEW; END', 'BEGIN PERFORM 1\n  FROM t /* c */ WHERE (a = 1); RETURN NEW; END'],
    // RETURN of a variable is parsed as a variable reference; with parentheses, as an expression naming it.
    ['plpgsql', 'BEGIN RETURN NEW; END', 'BEGIN RETURN (NEW); END'],
    ['plpgsql', 'BEGIN RETURN OLD; END', 'begin return ( old ) ; end'],
    ['plpgsql', 'DECLARE r int := 1; BEGIN r := 2; RETURN r; END', 'DECLARE r integer := 1; BEGIN r := 2; RETURN ((r)); END'],
    ['plpgsql', 'DECLARE a int := 1; b int := 2; BEGIN RETURN b; END', 'DECLARE a int := 1; b int := 2; BEGIN RETURN (b); END'],
    ['plpgsql', 'BEGIN RETURN NEW.n::int; END', 'BEGIN RETURN CAST(new.n AS integer); END'],
    ['sql', 'select a+1 from t where b = 2', 'SELECT (a + 1)\n  FROM t -- x\n WHERE b = 2'],
    ['sql', 'select a::int', 'select cast(a as integer)'],
  ];
  for (const [language, a, b] of same) {
    it(`same: ${language} ${JSON.stringify(a)}`, () => {
      expect(norm(language, b)).toBe(norm(language, a));
      // Through the parser, not the fallback.
      expect(norm(language, a)).toMatch(/^(plpgsql|tree):/);
    });
  }

  const different: Array<[string, string, string]> = [
    ['plpgsql', "BEGIN IF TG_OP = 'INSERT' THEN RETURN NEW; END IF; RETURN OLD; END", "BEGIN IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF; RETURN OLD; END"],
    ['plpgsql', 'BEGIN PERFORM 1 FROM t WHERE a > 1; RETURN NEW; END', 'BEGIN PERFORM 1 FROM t WHERE a >= 1; RETURN NEW; END'],
    ['plpgsql', 'BEGIN NEW.n := NEW.n + 1; RETURN NEW; END', 'BEGIN NEW.n := NEW.n + 2; RETURN NEW; END'],
    ['plpgsql', 'BEGIN NEW.n := NEW.n + 1; RETURN NEW; END', 'BEGIN NEW.m := NEW.n + 1; RETURN NEW; END'],
    ['plpgsql', 'BEGIN IF NEW.n > 0 THEN RETURN NEW; END IF; RETURN NULL; END', 'BEGIN IF NEW.n < 0 THEN RETURN NEW; END IF; RETURN NULL; END'],
    ['plpgsql', 'BEGIN RETURN NEW; END', 'BEGIN RAISE NOTICE $$x$$; RETURN NEW; END'],
    ['plpgsql', 'BEGIN RETURN NEW; END', 'BEGIN RETURN (OLD); END'],
    ['plpgsql', 'BEGIN RETURN NEW; END', 'BEGIN RETURN OLD; END'],
    ['plpgsql', 'DECLARE a int := 1; b int := 2; BEGIN RETURN a; END', 'DECLARE a int := 1; b int := 2; BEGIN RETURN (b); END'],
    ['plpgsql', 'DECLARE r int := 1; BEGIN RETURN r; END', 'DECLARE r int := 1; BEGIN RETURN (r + 1); END'],
    ['sql', 'select a+1 from t where b = 2', 'select a+1 from t where b = 3'],
    ['sql', 'select a+1 from t', 'select a-1 from t'],
    ['sql', "select 'Abc'", "select 'abc'"],
    ['sql', 'select "A" from t', 'select a from t'],
  ];
  for (const [language, a, b] of different) {
    it(`different: ${language} ${JSON.stringify(b)}`, () => expect(norm(language, b)).not.toBe(norm(language, a)));
  }

  it('falls back to exact text for other languages', () => {
    expect(normalizeFunctionBody('c', 'f_impl')).toBe('f_impl');
    expect(normalizeFunctionBody('plv8', 'return 1')).not.toBe(normalizeFunctionBody('plv8', 'return  1'));
  });

  it('falls back to the token stream when the PL/pgSQL parser cannot read the definition', () => {
    expect(normalizeFunctionBody('plpgsql', 'BEGIN  RETURN 1; END', 'not a function')).toBe(normalizeFunctionBody('plpgsql', 'begin return 1; end', 'not a function'));
  });
});
