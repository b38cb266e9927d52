//! Interface text in English and Simplified Chinese. kubectl's own output is never translated.

/// The interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// From the browser's language tag.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

/// (key, English, Chinese).
const TEXTS: &[(&str, &str, &str)] = &[
    ("welcome", "podplay — a simulated Kubernetes v1.32 cluster: one control plane, two workers. Type `help`.", "podplay — 模拟的 Kubernetes v1.32 集群：一个控制平面节点，两个工作节点。输入 `help` 查看帮助。"),
    ("role", "role", "角色"),
    ("share", "Share", "分享"),
    ("lessons", "Lessons…", "课程…"),
    ("close_lesson", "Close the lesson", "关闭课程"),
    ("open_full", "Open in podplay ↗", "在 podplay 中打开 ↗"),
    ("share_title", "Put this session in the address and copy the link", "把当前会话放进地址并复制链接"),
    ("reset", "Reset", "重置"),
    ("reset_title", "Forget this session and start a fresh cluster", "丢弃当前会话，重新开始一个集群"),
    ("reset_confirm", "Start over? The workspace files and the commands of this session will be forgotten.", "要重新开始吗？当前会话的工作区文件和命令都会被丢弃。"),
    ("reset_done", "Started over with a fresh cluster.", "已重新开始，集群是全新的。"),
    ("share_done", "Share link (copied to the clipboard if the browser allowed it):", "分享链接（浏览器允许时已复制到剪贴板）："),
    ("opened_link", "Opened a shared session; its commands were replayed:", "已打开分享的会话，并重放了其中的命令："),
    ("restored", "Restored your last session; its commands were replayed:", "已恢复上次的会话，并重放了其中的命令："),
    ("link_broken", "The link could not be opened, so this is a fresh playground.", "无法打开这个链接，因此这是一个全新的练习场。"),
    ("storage_broken", "The saved session could not be read; it was set aside (podplay.session.broken in local storage) and this is a fresh playground.", "无法读取保存的会话；已把它移到一边（本地存储中的 podplay.session.broken），这是一个全新的练习场。"),
    ("storage_full", "The session could not be saved in the browser", "无法在浏览器中保存会话"),
    (
        "tagline",
        "a Kubernetes Pod playground",
        "Kubernetes Pod 练习场",
    ),
    ("editor", "Editor", "编辑器"),
    ("terminal", "Terminal", "终端"),
    ("map", "Cluster map", "集群视图"),
    ("timeline", "Timeline", "时间线"),
    ("apply", "Apply", "应用"),
    (
        "apply_hint",
        "Run kubectl apply -f on this file (Ctrl+Enter)",
        "对此文件执行 kubectl apply -f（Ctrl+Enter）",
    ),
    ("examples", "Examples", "示例"),
    ("open_example", "Open an example…", "打开示例…"),
    ("new_file", "New file", "新建文件"),
    ("file_name_prompt", "Name of the new file", "新文件名"),
    ("collapse", "Collapse", "折叠"),
    ("expand", "Expand", "展开"),
    ("command", "Command", "命令"),
    (
        "term_hint",
        "Type kubectl commands. Tab completes, ↑/↓ history, Ctrl+C stops a watch. Try: help",
        "输入 kubectl 命令。Tab 补全，↑/↓ 历史，Ctrl+C 停止 watch。试试：help",
    ),
    (
        "streaming",
        "Streaming — Ctrl+C to stop",
        "持续输出中 — 按 Ctrl+C 停止",
    ),
    (
        "in_shell",
        "Shell in the container — type exit to leave",
        "容器中的 shell — 输入 exit 退出",
    ),
    ("play", "Play", "播放"),
    ("pause", "Pause", "暂停"),
    ("speed", "Speed", "速度"),
    ("step", "Next event", "下一个事件"),
    ("jump", "Jump to", "跳转到"),
    (
        "jump_hint",
        "A time such as 90s or 2m",
        "时间，例如 90s 或 2m",
    ),
    ("live", "Live", "实时"),
    (
        "past",
        "Viewing the past (read-only)",
        "正在查看过去（只读）",
    ),
    ("time", "Time", "时间"),
    ("seed", "Seed", "种子"),
    ("lagging", "the clock lags behind", "时钟落后于真实时间"),
    ("theme", "Theme", "主题"),
    ("theme_system", "System", "跟随系统"),
    ("theme_light", "Light", "浅色"),
    ("theme_dark", "Dark", "深色"),
    ("language", "Language", "语言"),
    ("node_stop", "Stop", "关机"),
    ("node_start", "Start", "开机"),
    ("cordon", "Cordon", "封锁"),
    ("uncordon", "Uncordon", "解除封锁"),
    ("drain", "Drain", "驱逐"),
    ("add_node", "Add node", "添加节点"),
    ("pending_pods", "Not scheduled", "未调度"),
    ("services", "Services", "Service"),
    ("no_endpoints", "no ready pods: connections are refused", "没有就绪的 Pod：连接会被拒绝"),
    ("ready", "ready", "就绪"),
    ("not-ready", "not ready", "未就绪"),
    ("terminating", "terminating", "终止中"),
    ("show_system", "Show system pods", "显示系统 Pod"),
    ("cpu", "CPU", "CPU"),
    ("memory", "Memory", "内存"),
    ("taints", "Taints", "污点"),
    ("no_taints", "no taints", "无污点"),
    ("describe", "Describe", "描述"),
    ("logs", "Logs", "日志"),
    ("yaml", "YAML", "YAML"),
    ("close", "Close", "关闭"),
    ("reachability", "Reachability", "连通性"),
    ("from", "From", "从"),
    ("to", "To", "到"),
    ("port", "Port", "端口"),
    ("trace", "Trace", "追踪"),
    ("clear_trace", "Clear", "清除"),
    ("verdict", "Verdict", "结论"),
    (
        "no_pods_yet",
        "No pods yet: open an example and press Apply.",
        "还没有 Pod：打开一个示例并点击“应用”。",
    ),
    (
        "no_lanes",
        "The timeline fills in as pods are created.",
        "创建 Pod 后，时间线会显示其生命周期。",
    ),
    ("init", "init", "初始化"),
    ("sidecar", "sidecar", "边车"),
    ("main", "main", "主"),
    (
        "error_pane",
        "This pane hit a problem; the rest of the page keeps working.",
        "此面板出错，页面其他部分仍可使用。",
    ),
    ("stopped_node", "powered off", "已关机"),
];

/// The text for `key` in `lang` (the key itself if it is missing, so a gap shows).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    TEXTS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, zh)| if lang == Lang::Zh { *zh } else { *en })
        .unwrap_or("?")
}
