-- CHECK constraints: enumerations, positive ordering and levels 1-5. Re-runnable: each is added
-- only when missing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_lessons_status' AND conrelid = 'lessons'::regclass) THEN
    ALTER TABLE lessons ADD CONSTRAINT chk_lessons_status
      CHECK (status IN ('draft', 'published', 'archived'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_user_profiles_role' AND conrelid = 'user_profiles'::regclass) THEN
    ALTER TABLE user_profiles ADD CONSTRAINT chk_user_profiles_role
      CHECK (role IN ('learner', 'teacher', 'admin'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_conversation_sessions_session_type' AND conrelid = 'conversation_sessions'::regclass) THEN
    ALTER TABLE conversation_sessions ADD CONSTRAINT chk_conversation_sessions_session_type
      CHECK (session_type IN ('practice', 'lesson', 'free_talk'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_conversation_messages_message_order' AND conrelid = 'conversation_messages'::regclass) THEN
    ALTER TABLE conversation_messages ADD CONSTRAINT chk_conversation_messages_message_order
      CHECK (message_order > 0);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_user_profiles_proficiency_level' AND conrelid = 'user_profiles'::regclass) THEN
    ALTER TABLE user_profiles ADD CONSTRAINT chk_user_profiles_proficiency_level
      CHECK (proficiency_level BETWEEN 1 AND 5);
  END IF;
END
$$;

ALTER TABLE lessons DROP CONSTRAINT IF EXISTS chk_lessons_difficulty_level;
ALTER TABLE lessons ADD CONSTRAINT chk_lessons_difficulty_level
  CHECK (difficulty_level BETWEEN 1 AND 5);
