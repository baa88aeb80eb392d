/**
 * Word lists and templates for the demo world. Plain data: the generator in world.ts decides how often each is
 * used. `{slot}` in a template is filled from the language's SLOTS table.
 */

export type Lang = 'en' | 'ja' | 'es' | 'pt' | 'fr' | 'de';
export const LANGS: readonly (readonly [Lang, number])[] = [
  ['en', 58],
  ['ja', 13],
  ['es', 10],
  ['pt', 8],
  ['fr', 6],
  ['de', 5],
];

/** Japanese names carry their romaji, used for usernames. */
export type NamePart = string | readonly [string, string];

export const FIRST_NAMES: Record<Lang, readonly NamePart[]> = {
  en: [
    'James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
    'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Chris', 'Karen', 'Daniel', 'Lisa',
    'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley', 'Paul', 'Emily', 'Andrew', 'Kim',
    'Josh', 'Michelle', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Rebecca', 'Tim', 'Laura', 'Ryan', 'Amy',
    'Jacob', 'Olivia', 'Ethan', 'Emma', 'Noah', 'Ava', 'Liam', 'Sophia', 'Mason', 'Isabella', 'Logan', 'Mia',
    'Lucas', 'Harper', 'Aiden', 'Zoe', 'Priya', 'Arjun', 'Wei', 'Mei', 'Omar', 'Fatima', 'Kwame', 'Amara', 'Tariq',
    'Dev', 'Ravi', 'Anika', 'Jin', 'Hana', 'Sam', 'Alex', 'Jordan', 'Taylor', 'Casey', 'Riley', 'Quinn', 'Jamie',
  ],
  ja: [
    ['翔太', 'shota'], ['大輝', 'daiki'], ['健太', 'kenta'], ['拓也', 'takuya'], ['直樹', 'naoki'], ['蓮', 'ren'],
    ['悠真', 'yuma'], ['陽翔', 'haruto'], ['湊', 'minato'], ['大翔', 'hiroto'], ['誠', 'makoto'], ['剛', 'tsuyoshi'],
    ['美咲', 'misaki'], ['陽菜', 'hina'], ['結衣', 'yui'], ['葵', 'aoi'], ['さくら', 'sakura'], ['愛', 'ai'],
    ['彩', 'aya'], ['舞', 'mai'], ['真由美', 'mayumi'], ['恵', 'megumi'], ['由美', 'yumi'], ['優子', 'yuko'],
    ['はるか', 'haruka'], ['ゆうき', 'yuki'], ['かおり', 'kaori'], ['けんじ', 'kenji'], ['ひろし', 'hiroshi'],
  ],
  es: [
    'Alejandro', 'Sofía', 'Mateo', 'Valentina', 'Santiago', 'Camila', 'Diego', 'Lucía', 'Javier', 'María', 'Carlos',
    'Daniela', 'Pablo', 'Elena', 'Miguel', 'Carmen', 'Andrés', 'Isabel', 'Fernando', 'Paula', 'Luis', 'Ana',
    'Jorge', 'Marta', 'Raúl', 'Lorena', 'Sergio', 'Gabriela', 'Héctor', 'Natalia',
  ],
  pt: [
    'João', 'Maria', 'Pedro', 'Ana', 'Lucas', 'Beatriz', 'Gabriel', 'Juliana', 'Rafael', 'Mariana', 'Gustavo',
    'Larissa', 'Felipe', 'Fernanda', 'Thiago', 'Camila', 'Bruno', 'Letícia', 'Vinícius', 'Amanda', 'André',
    'Carolina', 'Rodrigo', 'Patrícia', 'Diogo', 'Inês',
  ],
  fr: [
    'Louis', 'Camille', 'Lucas', 'Léa', 'Hugo', 'Chloé', 'Jules', 'Manon', 'Arthur', 'Inès', 'Gabriel', 'Emma',
    'Théo', 'Sarah', 'Nathan', 'Juliette', 'Antoine', 'Margaux', 'Julien', 'Élodie', 'Nicolas', 'Claire', 'Maxime',
    'Pauline', 'Thomas', 'Céline',
  ],
  de: [
    'Lukas', 'Anna', 'Leon', 'Lea', 'Finn', 'Lena', 'Jonas', 'Hannah', 'Paul', 'Mia', 'Felix', 'Laura', 'Maximilian',
    'Sophie', 'Tobias', 'Julia', 'Jan', 'Katharina', 'Florian', 'Johanna', 'Stefan', 'Sabine', 'Matthias', 'Jürgen',
    'Anja', 'Moritz',
  ],
};

export const LAST_NAMES: Record<Lang, readonly NamePart[]> = {
  en: [
    'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas',
    'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young',
    'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts',
    'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Murphy', 'Cook', 'Rogers',
    'Patel', 'Nguyen', 'Kim', 'Chen', 'Singh', 'Okafor', 'Mensah', 'Khan', 'Ali', 'Park', 'Lee', 'Wang', 'Shah',
    'Murray', 'Brooks', 'Reed', 'Hughes', 'Price', 'Bennett', 'Ward', 'Gray', 'Fisher', 'Hayes', 'Ellis',
  ],
  ja: [
    ['佐藤', 'sato'], ['鈴木', 'suzuki'], ['高橋', 'takahashi'], ['田中', 'tanaka'], ['伊藤', 'ito'], ['渡辺', 'watanabe'],
    ['山本', 'yamamoto'], ['中村', 'nakamura'], ['小林', 'kobayashi'], ['加藤', 'kato'], ['吉田', 'yoshida'],
    ['山田', 'yamada'], ['佐々木', 'sasaki'], ['山口', 'yamaguchi'], ['松本', 'matsumoto'], ['井上', 'inoue'],
    ['木村', 'kimura'], ['林', 'hayashi'], ['清水', 'shimizu'], ['森', 'mori'], ['池田', 'ikeda'], ['橋本', 'hashimoto'],
  ],
  es: [
    'García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín',
    'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Álvarez', 'Romero', 'Torres', 'Navarro', 'Ramírez', 'Castro',
    'Vargas', 'Rojas', 'Morales', 'Ortiz', 'Silva',
  ],
  pt: [
    'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa',
    'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa', 'Rocha',
    'Dias', 'Nascimento', 'Moreira',
  ],
  fr: [
    'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
    'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard',
    'André', 'Mercier', 'Blanc', 'Faure',
  ],
  de: [
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
    'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
    'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Werner',
  ],
};

/** Brand-ish and hobby accounts, so not every account is a person. */
export const ORG_NAMES: readonly (readonly [string, string])[] = [
  ['Acme Cloud', 'acmecloud'], ['Pixel Forge', 'pixelforge'], ['Daily Byte', 'dailybyte'], ['Open Data Lab', 'opendatalab'],
  ['Night Owl Radio', 'nightowlradio'], ['Metro Transit', 'metrotransit'], ['City Library', 'citylibrary'],
  ['Trail Runners Club', 'trailrunners'], ['Sourdough Society', 'sourdoughsoc'], ['Indie Game Weekly', 'indiegameweekly'],
  ['Rust Meetup', 'rustmeetup'], ['TS Weekly', 'tsweekly'], ['Orbital News', 'orbitalnews'], ['Weather Desk', 'weatherdesk'],
  ['Green Thumb', 'greenthumb'], ['Quantum Cafe', 'quantumcafe'], ['Bot Workshop', 'botworkshop'], ['Ferry Status', 'ferrystatus'],
  ['Museum of Code', 'museumofcode'], ['Kernel Panic', 'kernelpanic'], ['Lo-Fi Beats', 'lofibeats'], ['Stack Trace', 'stacktrace'],
  ['Hackathon HQ', 'hackathonhq'], ['The Changelog Bot', 'changelogbot'], ['Star Gazers', 'stargazers'],
];

/** Usernames that look like real handles but do not exist in the world (mentions of them carry no id). */
export const GHOST_HANDLES: readonly string[] = [
  'TechCrunch', 'verge', 'nytimes', 'NASA', 'github', 'nodejs', 'typescript', 'vitest_dev', 'sqlite', 'PostgreSQL',
  'BBCBreaking', 'espn', 'NHK_News', 'elpais', 'lemondefr', 'tagesschau', 'folha',
];

export const EMOJI: readonly string[] = [
  '🚀', '🎉', '🔥', '✨', '😂', '🙌', '👀', '💯', '❤️', '😅', '🤔', '☕', '🌧️', '🌞', '📸', '🍜', '⚽', '🏀',
  '🎮', '📚', '💻', '🐛', '🧵', '👇', '🙏', '😍', '🤯', '🥲', '👏🏽', '🇯🇵', '🇧🇷', '🇫🇷', '🇩🇪', '🇪🇸', '👨‍💻', '👩‍🔬',
];

export const SOURCES: readonly (readonly [string, number])[] = [
  ['Twitter for iPhone', 40],
  ['Twitter for Android', 30],
  ['Twitter Web App', 22],
  ['TweetDeck Web App', 4],
  ['Buffer', 2],
  ['IFTTT', 1],
  ['Roost Demo Bot', 1],
];

export const SLOTS: Record<Lang, Record<string, readonly string[]>> = {
  en: {
    feature: ['dark mode', 'a new search API', 'streaming support', 'offline sync', 'the v2 dashboard', 'rate-limit headers', 'OAuth 2.0 login', 'a CLI', 'webhooks', 'the mobile app', 'pagination tokens', 'a plugin system'],
    project: ['our side project', 'the bot', 'my blog', 'the open source repo', 'our startup', 'the team wiki', 'my thesis', 'the game'],
    topic: ['TypeScript', 'Rust', 'AI agents', 'serverless', 'SQLite', 'microservices', 'remote work', 'static typing', 'tabs vs spaces', 'monorepos', 'GraphQL', 'pineapple on pizza', 'the new Star Wars show', 'vinyl records', 'sourdough'],
    bug: ['an off-by-one error', 'a race condition', 'a timezone bug', 'a missing semicolon', 'a flaky test', 'a memory leak', 'a DNS issue', 'a cache that never expired'],
    daypart: ['morning', 'afternoon', 'evening', 'night', 'weekend'],
    task: ['code review', 'standup', 'writing docs', 'answering email', 'the deploy', 'inbox zero', 'a long run', 'grocery shopping'],
    food: ['ramen', 'tacos', 'pizza', 'a burrito', 'pho', 'sushi', 'a bagel', 'pancakes'],
    place: ['the office', 'the park', 'the airport', 'a coffee shop', 'the library', 'the beach', 'the gym'],
    team: ['the Lakers', 'the Yankees', 'Arsenal', 'the Warriors', 'the Chiefs', 'Liverpool', 'the Celtics'],
    thing: ['keyboard', 'monitor', 'bike', 'camera', 'plant', 'headphones', 'desk setup'],
    tech: ['TypeScript', 'Rust', 'Go', 'Python', 'Elixir', 'Zig', 'plain SQL'],
  },
  ja: {
    feature: ['ダークモード', '新しい検索API', 'ストリーミング対応', 'オフライン同期', 'CLIツール', 'Webhook'],
    topic: ['TypeScript', 'Rust', '生成AI', 'SQLite', 'リモートワーク', '型安全', 'モノレポ', 'キャンプ', '筋トレ'],
    food: ['ラーメン', 'カレー', 'お寿司', '焼き鳥', 'たこ焼き', 'うどん', 'パンケーキ', 'おにぎり'],
    city: ['東京', '大阪', '京都', '福岡', '札幌', '横浜', '名古屋'],
    task: ['コードレビュー', '資料作り', '引っ越し', '大掃除', '確定申告', 'デプロイ'],
    thing: ['キーボード', 'モニター', 'カメラ', '自転車', 'イヤホン'],
  },
  es: {
    feature: ['el modo oscuro', 'una nueva API de búsqueda', 'el soporte de streaming', 'la app móvil', 'los webhooks'],
    topic: ['TypeScript', 'la inteligencia artificial', 'el teletrabajo', 'Rust', 'el fútbol', 'el café de especialidad'],
    food: ['tacos', 'paella', 'empanadas', 'churros', 'tortilla de patatas', 'arepas'],
    city: ['Madrid', 'Barcelona', 'Ciudad de México', 'Buenos Aires', 'Bogotá', 'Lima', 'Sevilla'],
    team: ['el Real Madrid', 'el Barça', 'Boca', 'River', 'el Atleti', 'las Chivas'],
    task: ['la revisión de código', 'la mudanza', 'el informe', 'el despliegue'],
  },
  pt: {
    feature: ['o modo escuro', 'uma nova API de busca', 'o suporte a streaming', 'o app novo', 'os webhooks'],
    topic: ['TypeScript', 'inteligência artificial', 'trabalho remoto', 'Rust', 'futebol', 'café coado'],
    food: ['pão de queijo', 'feijoada', 'açaí', 'coxinha', 'pastel', 'brigadeiro'],
    city: ['São Paulo', 'Rio', 'Lisboa', 'Porto', 'Belo Horizonte', 'Recife', 'Curitiba'],
    team: ['o Flamengo', 'o Corinthians', 'o Palmeiras', 'o Benfica', 'o Grêmio'],
    task: ['a revisão de código', 'a mudança', 'o relatório', 'o deploy'],
  },
  fr: {
    feature: ['le mode sombre', 'une nouvelle API de recherche', 'le streaming', "l'appli mobile", 'les webhooks'],
    topic: ['TypeScript', "l'IA générative", 'le télétravail', 'Rust', 'le vélo', 'le fromage'],
    food: ['un croissant', 'une raclette', 'des crêpes', 'une baguette', 'un croque-monsieur'],
    city: ['Paris', 'Lyon', 'Marseille', 'Montréal', 'Bordeaux', 'Lille', 'Bruxelles'],
    team: ['le PSG', "l'OM", "l'OL", 'les Bleus'],
    task: ['la revue de code', 'le déménagement', 'le rapport', 'la mise en prod'],
  },
  de: {
    feature: ['den Dark Mode', 'eine neue Such-API', 'Streaming-Support', 'die neue App', 'Webhooks'],
    topic: ['TypeScript', 'KI', 'Homeoffice', 'Rust', 'die Bahn', 'Kaffee'],
    food: ['Brezeln', 'Currywurst', 'Käsespätzle', 'Döner', 'Apfelstrudel'],
    city: ['Berlin', 'München', 'Hamburg', 'Köln', 'Wien', 'Zürich', 'Leipzig'],
    team: ['die Bayern', 'der BVB', 'der HSV', 'Union Berlin'],
    task: ['das Code-Review', 'der Umzug', 'der Bericht', 'das Deployment'],
  },
};

export const SENTENCES: Record<Lang, readonly string[]> = {
  en: [
    'Just shipped {feature} for {project}', 'Anyone else think {topic} is overrated?', 'Spent the whole {daypart} debugging {bug}. Finally fixed it.',
    'Hot take: {topic} is the future.', 'Coffee first, then {task}.', 'Unpopular opinion: {topic} is actually fine.',
    'Can we talk about how good {food} is?', 'Working from {place} today.', 'Finally tried {topic} and I get the hype now.',
    'Reminder to drink water and take breaks.', 'What a game by {team} tonight!', 'New {thing} arrived and I love it.',
    'Three hours of {task} later and I need a nap.', 'If {topic} breaks one more time I am moving to the woods.',
    'TIL about {topic}. Mind blown.', 'Thread on what we learned building {feature}', 'Who else is watching {team} right now?',
    'Lunch: {food}. No regrets.', 'The docs for {feature} are finally live.', 'Good morning to everyone except {bug}.',
    'Weekend plans: {food} and zero screens.', 'Looking for recommendations for a new {thing}.', 'Big news coming for {project} next week.',
    'Honestly {task} is my favorite part of the day.', 'Is it just me or is {topic} everywhere this year?',
    'Rewrote {project} in {tech}. Here is how it went.', 'Small wins: {task} done before 10am.', 'Today I learned that {bug} can hide for months.',
  ],
  ja: [
    '今日は{food}を食べました', '{topic}について勉強中です', '{city}は今日も暑い', 'やっと{task}が終わった！', '{feature}をリリースしました',
    '新しい{thing}を買いました', '{topic}、思ったより難しい…', '週末は{city}に行ってきます', 'おはようございます！今日も頑張りましょう',
    '{food}が食べたい気分', '{task}、あと少し', '{topic}の記事を書きました', '{city}のカフェで作業中', '眠い…',
    '{feature}、使ってみたら便利すぎた', '明日は{task}の日',
  ],
  es: [
    'Hoy lanzamos {feature}', '¿Alguien más piensa que {topic} está sobrevalorado?', 'Comiendo {food} en {city}',
    'Qué partidazo de {team}', 'Por fin terminé {task}', 'Aprendiendo {topic} poco a poco', 'Buenos días desde {city}',
    'Nada mejor que unos {food} un viernes', 'Mañana toca {task}, deseadme suerte', 'Hilo sobre lo que aprendimos con {feature}',
    'Opinión impopular: {topic} no es para tanto',
  ],
  pt: [
    'Hoje lançamos {feature}', 'Alguém mais acha que {topic} é superestimado?', 'Comendo {food} em {city}',
    'Que jogo do {team}!', 'Finalmente terminei {task}', 'Aprendendo {topic} aos poucos', 'Bom dia direto de {city}',
    'Nada melhor que {food} numa sexta', 'Amanhã é dia de {task}', 'Fio sobre o que aprendemos com {feature}',
  ],
  fr: [
    "On vient de lancer {feature}", "Quelqu'un d'autre trouve que {topic} est surcoté ?", 'En train de manger {food} à {city}',
    'Quel match pour {team} !', "Enfin fini {task}", "J'apprends {topic} petit à petit", 'Bonjour depuis {city}',
    'Rien de mieux que {food} le vendredi', 'Demain, {task}. Souhaitez-moi bonne chance', 'Thread sur ce que nous avons appris avec {feature}',
  ],
  de: [
    'Heute haben wir {feature} veröffentlicht', 'Findet noch jemand {topic} überbewertet?', 'Gerade {food} in {city}',
    'Was für ein Spiel von {team}!', 'Endlich ist {task} erledigt', 'Ich lerne gerade {topic}', 'Guten Morgen aus {city}',
    'Nichts geht über {food} am Freitag', 'Morgen steht {task} an', 'Thread darüber, was wir mit {feature} gelernt haben',
  ],
};

export const REPLIES: Record<Lang, readonly string[]> = {
  en: [
    'This is great!', 'Totally agree.', 'Wait, really?', 'Congrats!', 'Same here.', 'Thanks for sharing this.', 'lol',
    'Not sure I agree, but interesting take.', 'Can you share more details?', 'This made my day.', 'Underrated post.',
    'Bookmarking this.', 'Ha, been there.', 'Where can I read more?', 'Huge if true.', 'Following for updates.',
    'Did you try turning it off and on again?', 'Big congrats to the whole team!', 'What stack are you using?',
  ],
  ja: ['すごい！', 'わかる', 'ありがとうございます！', 'おめでとうございます🎉', 'なるほど', 'これは便利', '私もです', '詳しく知りたいです', '草'],
  es: ['¡Qué bueno!', 'Totalmente de acuerdo', '¿En serio?', '¡Felicidades!', 'Gracias por compartir', 'Jajaja', 'Me pasa igual'],
  pt: ['Que massa!', 'Concordo totalmente', 'Sério?', 'Parabéns!', 'Obrigado por compartilhar', 'Kkkkkk', 'Comigo também'],
  fr: ['Génial !', "Tout à fait d'accord", 'Sérieux ?', 'Bravo !', 'Merci du partage', 'Mdr', 'Pareil pour moi'],
  de: ['Super!', 'Sehe ich genauso', 'Echt jetzt?', 'Glückwunsch!', 'Danke fürs Teilen', 'Haha', 'Geht mir genauso'],
};

export const QUOTES: Record<Lang, readonly string[]> = {
  en: ['This.', 'Worth a read', 'Everyone should see this', 'Big if true', 'Strong disagree', 'Saving this for later', 'Called it', 'Exactly what I was saying'],
  ja: ['これは読むべき', 'まさにこれ', '保存しておく', 'これは良い'],
  es: ['Esto.', 'Vale la pena leerlo', 'Todo el mundo debería ver esto'],
  pt: ['Isso.', 'Vale a leitura', 'Todo mundo deveria ver isso'],
  fr: ['Ceci.', 'À lire absolument', 'Tout le monde devrait voir ça'],
  de: ['Das hier.', 'Lesenswert', 'Sollte jeder sehen'],
};

/** [question, options] — options ≤25 chars (X's limit). */
export const POLLS: Record<Lang, readonly (readonly [string, readonly string[]])[]> = {
  en: [
    ['Tabs or spaces?', ['Tabs', 'Spaces']],
    ['Which do you use most?', ['TypeScript', 'Python', 'Rust', 'Go']],
    ['Best time to deploy?', ['Monday morning', 'Friday afternoon', 'Never']],
    ['Coffee or tea?', ['Coffee', 'Tea', 'Neither']],
    ['How do you read docs?', ['Top to bottom', 'Ctrl+F', 'I ask a friend', 'I do not']],
    ['Pick a database', ['SQLite', 'PostgreSQL', 'MySQL', 'A spreadsheet']],
  ],
  ja: [
    ['朝型？夜型？', ['朝型', '夜型']],
    ['好きなラーメンは？', ['醤油', '味噌', '塩', '豚骨']],
  ],
  es: [['¿Café o té?', ['Café', 'Té']], ['¿Playa o montaña?', ['Playa', 'Montaña', 'Ninguna']]],
  pt: [['Café ou chá?', ['Café', 'Chá']], ['Praia ou montanha?', ['Praia', 'Montanha']]],
  fr: [['Café ou thé ?', ['Café', 'Thé']], ['Chocolatine ou pain au chocolat ?', ['Chocolatine', 'Pain au chocolat']]],
  de: [['Kaffee oder Tee?', ['Kaffee', 'Tee']], ['Berg oder Meer?', ['Berg', 'Meer']]],
};

export const HASHTAGS: Record<Lang, readonly string[]> = {
  en: [
    '#buildinpublic', '#100DaysOfCode', '#javascript', '#TypeScript', '#AI', '#opensource', '#webdev', '#DevOps', '#rustlang',
    '#Python', '#MachineLearning', '#photography', '#NBA', '#NFL', '#coffee', '#MondayMotivation', '#tbt', '#XAPI', '#gamedev',
    '#indiedev', '#SQLite', '#remotework', '#WorldCup', '#space',
  ],
  ja: ['#拡散希望', '#写真好きな人と繋がりたい', '#エンジニア', '#プログラミング', '#今日の一枚', '#朝活', '#駆け出しエンジニアと繋がりたい'],
  es: ['#FelizLunes', '#Programación', '#LaLiga', '#Fútbol', '#desarrolloweb', '#IA'],
  pt: ['#Brasil', '#Programação', '#BomDia', '#futebol', '#tecnologia'],
  fr: ['#Paris', '#Développement', '#Ligue1', '#tech', '#IA'],
  de: ['#Bundesliga', '#Entwicklung', '#Berlin', '#Digitalisierung', '#KI'],
};

export const CASHTAGS: readonly string[] = ['$TSLA', '$AAPL', '$NVDA', '$MSFT', '$BTC', '$ETH', '$AMZN', '$GOOG', '$META', '$SPY', '$BRK.A', '$AMD'];

export const CASHTAG_SENTENCES: readonly string[] = [
  'Watching {cashtag} closely today', '{cashtag} earnings call was wild', 'Not financial advice but {cashtag} looks interesting',
  'Sold my {cashtag} too early again', '{cashtag} up 4% premarket',
];

export const MENTION_LEADS: Record<Lang, readonly string[]> = {
  en: ['h/t', 'cc', 'thanks', 'via', 'shoutout to'],
  ja: ['cc', 'ありがとう'],
  es: ['cc', 'gracias a', 'vía'],
  pt: ['cc', 'valeu', 'via'],
  fr: ['cc', 'merci', 'via'],
  de: ['cc', 'danke', 'via'],
};

export const DESCRIPTIONS: Record<Lang, readonly string[]> = {
  en: [
    'Software engineer. Coffee enthusiast. Opinions are my own.', 'Building {feature} at a startup you have not heard of yet.',
    'Writer, reader, occasional runner.', 'Dad, developer, bad at golf.', 'Photographer based somewhere with good light.',
    'I tweet about {topic} and {food}.', 'Open source maintainer. Please read the contributing guide.', 'Here for the memes.',
    'PhD student studying {topic}.', 'Designer who codes.', 'Professional overthinker.', 'Product manager by day, baker by night.',
    'Just a person on the internet.', 'Data nerd. Charts > words.', 'Indie hacker shipping one project a month.',
  ],
  ja: ['エンジニアです。{topic}が好き。', '{city}在住。{food}が好きです。', '写真と旅行が趣味', '駆け出しエンジニア', 'ゆるく呟きます'],
  es: ['Ingeniera de software. Amante del café.', 'Desde {city}. Hablo de {topic}.', 'Fotografía y viajes.', 'Dev frontend.'],
  pt: ['Dev backend. Viciado em café.', 'Direto de {city}. Falo de {topic}.', 'Fotografia e viagens.', 'Engenheira de software.'],
  fr: ['Développeur. Amateur de café.', 'Depuis {city}. Je parle de {topic}.', 'Photo et voyages.', 'Designer produit.'],
  de: ['Softwareentwickler. Kaffeeliebhaber.', 'Aus {city}. Ich schreibe über {topic}.', 'Fotografie und Reisen.', 'Produktdesignerin.'],
};

export const LOCATIONS: Record<Lang, readonly string[]> = {
  en: ['Earth', 'The Internet', 'she/her', 'he/him', 'NYC', 'SF Bay Area', 'London, England', 'Remote', '🌍', 'Toronto, Canada', 'Austin, TX', 'Lagos, Nigeria', 'Bengaluru, India', 'Sydney, Australia', 'Seattle, WA'],
  ja: ['東京都', '大阪', '日本', '福岡', '横浜', '札幌', '京都'],
  es: ['Madrid, España', 'CDMX', 'Buenos Aires, Argentina', 'Bogotá, Colombia', 'Barcelona', 'Santiago, Chile'],
  pt: ['São Paulo, Brasil', 'Rio de Janeiro', 'Lisboa, Portugal', 'Belo Horizonte', 'Porto'],
  fr: ['Paris, France', 'Lyon', 'Montréal, Québec', 'Bruxelles', 'Marseille'],
  de: ['Berlin, Deutschland', 'München', 'Wien, Österreich', 'Zürich', 'Hamburg'],
};

export const ALT_TEXTS: Record<Lang, readonly string[]> = {
  en: ['A cup of coffee on a wooden desk next to a laptop', 'Sunset over the city skyline', 'Screenshot of a terminal with green text', 'A dog sleeping on a couch', 'Bar chart showing weekly signups going up', 'A bowl of ramen'],
  ja: ['夕焼けの街並み', 'ラーメンの写真', 'ノートパソコンとコーヒー'],
  es: ['Una taza de café junto a un portátil', 'Atardecer sobre la ciudad'],
  pt: ['Uma xícara de café ao lado de um notebook', 'Pôr do sol na praia'],
  fr: ["Une tasse de café à côté d'un ordinateur", 'Coucher de soleil sur la ville'],
  de: ['Eine Tasse Kaffee neben einem Laptop', 'Sonnenuntergang über der Stadt'],
};

/** Short posts X would tag `und`, emoji-only posts (`art`), and hashtag-only posts (`qht`). */
export const UND_TEXTS: readonly string[] = ['lol', 'ok', 'hmm', 'gm', 'gn', 'W', 'same', 'wow', '?!', 'yes', '...', 'brb'];

export const URL_KINDS = ['github', 'docs', 'youtube', 'blog', 'wiki', 'news', 'hn', 'arxiv'] as const;
export const WIKI_ARTICLES: readonly string[] = ['Snowflake_ID', 'SQLite', 'Zipf%27s_law', 'Power_law', 'Representational_state_transfer', 'OAuth', 'Unicode', 'Tokyo', 'Sourdough', 'Hash_table'];
export const NEWS_SITES: readonly string[] = ['www.nytimes.com', 'www.theverge.com', 'techcrunch.com', 'www.bbc.co.uk', 'elpais.com', 'www.lemonde.fr', 'www.spiegel.de', 'g1.globo.com', 'www3.nhk.or.jp'];
export const BLOG_SITES: readonly string[] = ['blog.example.dev', 'dev.to', 'medium.com', 'substack.com', 'notes.example.org'];
export const REPO_NAMES: readonly string[] = ['dotfiles', 'awesome-list', 'tiny-db', 'x-bot', 'api-client', 'cli', 'website', 'advent-of-code', 'playground', 'roost-demo'];
export const SLUG_WORDS: readonly string[] = ['how', 'we', 'built', 'a', 'faster', 'search', 'index', 'lessons', 'from', 'scaling', 'sqlite', 'typescript', 'tips', 'why', 'the', 'future', 'of', 'apis', 'guide', 'open', 'source'];
