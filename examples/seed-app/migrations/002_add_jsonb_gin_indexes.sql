-- JSONB GIN indexes, created only where the column really is jsonb.
CREATE INDEX IF NOT EXISTS idx_user_profiles_learning_goals
  ON user_profiles USING gin (learning_goals);

CREATE INDEX IF NOT EXISTS idx_learning_paths_path_data
  ON learning_paths USING gin (path_data jsonb_path_ops);

CREATE INDEX IF NOT EXISTS idx_lesson_versions_lesson_plan
  ON lesson_versions USING gin (lesson_plan);

-- conversation_context is jsonb in some deployments and text in others.
DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = current_schema()
      AND table_name = 'conversation_sessions'
      AND column_name = 'conversation_context'
      AND data_type = 'jsonb'
  ) THEN
    CREATE INDEX IF NOT EXISTS idx_conversation_sessions_conversation_context
      ON conversation_sessions USING gin (conversation_context);
  ELSE
    RAISE NOTICE 'conversation_sessions.conversation_context is not jsonb; GIN index skipped';
  END IF;
END
$$;
