-- Schema of the example learning app. conversation_sessions.conversation_context is text here on
-- purpose: in some deployments it is jsonb, and the GIN migration must only index it where it is.
CREATE TABLE user_profiles (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  role text NOT NULL DEFAULT 'learner',
  proficiency_level integer NOT NULL DEFAULT 1,
  learning_goals jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lessons (
  id bigserial PRIMARY KEY,
  title text NOT NULL,
  status text NOT NULL DEFAULT 'draft',
  difficulty_level integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lesson_versions (
  id bigserial PRIMARY KEY,
  lesson_id bigint NOT NULL REFERENCES lessons (id),
  version integer NOT NULL,
  lesson_plan jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE learning_paths (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES user_profiles (id),
  path_data jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lesson_sessions (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES user_profiles (id),
  lesson_id bigint NOT NULL REFERENCES lessons (id),
  status text NOT NULL DEFAULT 'in_progress',
  started_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conversation_sessions (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES user_profiles (id),
  session_type text NOT NULL DEFAULT 'practice',
  status text NOT NULL DEFAULT 'active',
  conversation_context text,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE conversation_messages (
  id bigserial PRIMARY KEY,
  session_id bigint NOT NULL REFERENCES conversation_sessions (id),
  message_order integer NOT NULL,
  role text NOT NULL,
  content text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- conversation_interactions is created by a later feature: migrations must guard indexes on it.
