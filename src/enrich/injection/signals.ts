// Named prompt-injection signals. Each is a list of patterns over normalized text (see
// normalize.ts) and a weight: the probability-like strength of that signal on its own.
//
// Why the patterns are linear-time: every quantifier is bounded; the only repeated groups are
// "(?:\s[a-z']{1,20}){0,4}", a filler of up to four words, where a word ends only at the single
// white-space character the next iteration must start with, so each string has one parse and
// backtracking is bounded by 4 × 20 steps per start position.

export interface InjectionSignal {
  name: string;
  weight: number;
  patterns: RegExp[];
}

const FILLER = String.raw`(?:\s[a-z']{1,20}){0,4}`;
// What an exfiltration asks for: secrets, or everything of a kind ("all emails"), not "the notes".
const SENSITIVE_DATA = String.raw`conversation|chat history|system prompt|credentials|passwords?|api keys?|secrets|access tokens?|private data|user data|personal data|all(?: [a-z']{1,20})? (?:emails|files|documents|messages|contacts|data|records)`;
const p = (source: string): RegExp => new RegExp(source);

export const SIGNALS: readonly InjectionSignal[] = [
  {
    // "Ignore all previous instructions", "disregard the rules above", "forget your guidelines".
    name: 'ignore_previous_instructions',
    weight: 0.75,
    patterns: [
      p(String.raw`\b(?:ignore|disregard|forget|bypass|override|skip|abandon|drop)${FILLER}\s(?:instructions?|prompts?|rules|directions|guidelines|directives|programming|guardrails|restrictions|constraints|policies)\b`),
      p(String.raw`\bdo not (?:follow|obey)${FILLER}\s(?:instructions|rules|guidelines)\b`),
      p(String.raw`\b(?:new|updated|real|actual) (?:instructions|rules|directives) ?:`),
    ],
  },
  {
    // Exfiltration of the hidden prompt: "reveal your system prompt", "repeat the words above".
    name: 'system_prompt_exfiltration',
    weight: 0.7,
    patterns: [
      p(String.raw`\b(?:reveal|show|print|display|output|repeat|recite|leak|dump|share|tell me|give me|what (?:is|are|was|were))${FILLER}\s(?:system prompt|system message|initial (?:prompt|instructions)|hidden (?:prompt|instructions)|original (?:prompt|instructions)|developer (?:message|prompt)|your (?:instructions|prompt|rules|guidelines))\b`),
      p(String.raw`\b(?:repeat|print|output)${FILLER}\s(?:words|text|everything|all) above\b`),
    ],
  },
  {
    // Fake conversation structure: "</system>", "<|im_start|>", "[INST]", "### System:".
    name: 'delimiter_injection',
    weight: 0.6,
    patterns: [
      p(String.raw`</?(?:system|assistant|im_start|im_end|instructions?)>`),
      p(String.raw`<\|(?:im_start|im_end|endoftext|system|assistant|user|start|end|message|channel)\|>`),
      p(String.raw`\[/?inst\]|<</?sys>>`),
      p(String.raw`(?:^|\n)#{1,4} ?(?:system|assistant|instructions?|new instructions)(?: prompt)? ?:`),
      p(String.raw`(?:^|\n)(?:system|assistant) ?: ?(?:you|ignore|from now|new)\b`),
    ],
  },
  {
    // Re-assigning the model's identity: "you are now", "act as DAN", "pretend you have no rules".
    name: 'role_override',
    weight: 0.5,
    patterns: [
      p(String.raw`\byou are (?:now|no longer)\b`),
      p(String.raw`\bfrom now on,? you(?: will| are| must|'ll|'re)\b`),
      p(String.raw`\b(?:act|behave|respond|answer) as (?:an? )?(?:dan|unrestricted|unfiltered|uncensored|jailbroken|evil|rogue)\b`),
      p(String.raw`\bpretend (?:that )?you (?:are|have) (?:an? )?(?:no|unrestricted|unfiltered|evil|free)\b`),
      p(String.raw`\byour new (?:role|persona|identity|name|instructions|purpose) (?:is|are)\b`),
    ],
  },
  {
    // Known jailbreak personas and phrases.
    name: 'jailbreak_keywords',
    weight: 0.5,
    patterns: [
      p(String.raw`\bdo anything now\b|\bjailbr(?:eak|oken)\b|\bdeveloper mode\b|\bdan mode\b|\bgod mode\b|\bevil confidant\b`),
      p(String.raw`\b(?:no|without any|without) (?:ethical|moral|content|safety) (?:guidelines|restrictions|limits|filters|policies)\b`),
      p(String.raw`\b(?:disable|turn off|remove|deactivate)${FILLER}\s(?:safety|content|ethical) (?:filters?|guidelines|restrictions|policies)\b`),
    ],
  },
  {
    // Steering an agent's tools: exfiltrating data, destructive commands, running a downloaded script.
    name: 'tool_abuse',
    weight: 0.7,
    patterns: [
      p(String.raw`\b(?:send|forward|upload|post|email|exfiltrate|leak|transmit)${FILLER}\s(?:${SENSITIVE_DATA})\b${FILLER}\s(?:to|at)\b`),
      p(String.raw`\brm -rf (?:/|~|\*)|\bformat c:|\bdrop (?:table|database)\b|\bdel /[fsq]\b`),
      // Only when told to run it: "what does curl … | sh do?" is a fair question.
      p(String.raw`\b(?:run|execute)\b[^\n]{0,40}\b(?:curl|wget)\s[^|\n]{1,200}\|\s?(?:sudo )?(?:ba|z)?sh\b`),
      p(String.raw`\b(?:call|invoke|use|run)${FILLER}\s(?:tool|function|plugin)${FILLER}\s(?:to|and) (?:delete|transfer|send|email|wire|purchase|pay)\b`),
    ],
  },
];

/** Weight of `encoded_payload`: a base64 block that decodes to readable text. */
export const ENCODED_PAYLOAD_WEIGHT = 0.45;
/** Weight of `invisible_characters`: Unicode tag characters or several zero-width characters. */
export const INVISIBLE_CHARACTERS_WEIGHT = 0.25;
