/// The prompt a judge gets, and the follow-up that asks again after an unparseable verdict.
///
/// The template's placeholders are the judge's inputs: `{{prompt}}` (the user prompt the
/// candidate got), `{{system}}` (its system prompt, or nothing), `{{answer}}` (the candidate's
/// answer), `{{rubric}}`, `{{reference}}` (the reference answer, or nothing),
/// `{{reference_block}}` (`Reference answer:` and the reference, or nothing) and
/// `{{verdict_format}}` (how to reply, for the scale). Any other `{{name}}` is a case variable;
/// in the template the judge's inputs win over case variables of the same name.
public enum JudgePrompt {
    /// The default template. Its first line is what the fake provider recognises as a judge
    /// prompt; keep it in custom templates to try them against the fake provider.
    public static let defaultTemplate = Template("""
        You are grading an answer to a task. Judge it only by the rubric.

        Task:
        {{prompt}}

        Answer to grade:
        {{answer}}

        {{reference_block}}Rubric:
        {{rubric}}

        {{verdict_format}}
        """)

    /// The names the template may use besides case variables.
    public static let inputs = ["prompt", "system", "answer", "rubric", "reference", "reference_block", "verdict_format"]

    /// How to reply, for `scale`: one line of JSON with the reasoning first.
    public static func verdictFormat(_ scale: JudgeScale) -> String {
        switch scale {
        case .passFail:
            #"Reply with one line of JSON and nothing else: {"reasoning": "<one or two sentences>", "pass": true or false}"#
        case .range(let low, let high):
            #"Reply with one line of JSON and nothing else: {"reasoning": "<one or two sentences>", "score": "#
                + "<an integer from \(low) to \(high), where \(high) fully meets the rubric and \(low) does not meet it at all>}"
        }
    }

    /// The judge's prompt for one answer.
    ///
    /// - Parameters:
    ///   - variables: The case's variables (they fill the rubric and the reference).
    ///   - prompt: The user prompt the candidate got.
    ///   - system: Its system prompt, if any.
    ///   - answer: The answer to grade.
    public static func render(_ spec: JudgeSpec, variables: [String: String], prompt: String, system: String?,
                              answer: String) -> String {
        let reference = spec.reference?.render(variables)
        var inputs = variables
        inputs["prompt"] = prompt
        inputs["system"] = system ?? ""
        inputs["answer"] = answer
        inputs["rubric"] = spec.rubric.render(variables)
        inputs["reference"] = reference ?? ""
        inputs["reference_block"] = reference.map { "Reference answer:\n\($0)\n\n" } ?? ""
        inputs["verdict_format"] = verdictFormat(spec.scale)
        return spec.template.render(inputs)
    }

    /// The follow-up after a reply that held no verdict: why, and the format again.
    public static func retry(_ problem: String, scale: JudgeScale) -> String {
        "Your reply could not be read as a verdict (\(problem)). " + verdictFormat(scale)
    }
}
