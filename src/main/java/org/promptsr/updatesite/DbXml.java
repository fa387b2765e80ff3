package org.promptsr.updatesite;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The update site index, {@code db.xml.gz}, in the ImageJ updater's format:
 * <pre>
 * &lt;pluginRecords&gt;
 *   &lt;plugin filename="jars/linux64/x-1.0.jar"&gt;
 *     &lt;platform&gt;linux64&lt;/platform&gt;
 *     &lt;version checksum="(sha1)" timestamp="yyyyMMddHHmmss" filesize="123"&gt;
 *       &lt;description&gt;...&lt;/description&gt;
 *       &lt;dependency filename="jars/y-2.0.jar" timestamp="..."/&gt;
 *       &lt;author&gt;...&lt;/author&gt;
 *     &lt;/version&gt;
 *   &lt;/plugin&gt;
 * &lt;/pluginRecords&gt;
 * </pre>
 * gzip-compressed UTF-8. The updater reads it without validation, so no DTD is embedded. A fresh
 * site has no {@code previous-version} elements: those appear when Fiji's own uploader publishes a
 * newer version over an existing one.
 */
public final class DbXml {
	public static final String FILE_NAME = "db.xml.gz";
	static final String AUTHOR = "PromptSR for Fiji developers";

	private DbXml() {}

	public static void write(List<SiteFile> files, Path target) throws IOException {
		Map<String, SiteFile> byPath = new java.util.HashMap<>();
		for (SiteFile f : files)
			if (byPath.put(f.path, f) != null) throw new IllegalArgumentException("listed twice: " + f.path);
		try {
			Document doc = newBuilder().newDocument();
			Element root = doc.createElement("pluginRecords");
			doc.appendChild(root);
			for (SiteFile f : files) {
				Element plugin = child(root, "plugin");
				plugin.setAttribute("filename", f.path);
				if (f.platform != null) child(plugin, "platform").setTextContent(f.platform);
				Element version = child(plugin, "version");
				version.setAttribute("checksum", f.checksum);
				version.setAttribute("timestamp", f.timestamp);
				version.setAttribute("filesize", Long.toString(f.size));
				if (f.description != null) child(version, "description").setTextContent(f.description);
				for (String dep : f.dependencies) {
					SiteFile dependency = byPath.get(dep);
					if (dependency == null) throw new IllegalArgumentException(f.path + " depends on unlisted " + dep);
					Element d = child(version, "dependency");
					d.setAttribute("filename", dep);
					d.setAttribute("timestamp", dependency.timestamp);
				}
				child(version, "author").setTextContent(AUTHOR);
			}
			Transformer t = TransformerFactory.newInstance().newTransformer();
			t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
			t.setOutputProperty(OutputKeys.INDENT, "yes");
			t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
			Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
			try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
				t.transform(new DOMSource(doc), new StreamResult(out));
			}
			Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		catch (ParserConfigurationException | TransformerException e) {
			throw new IOException("could not write " + target, e);
		}
	}

	/** Reads the files back (current versions; previous versions are ignored). */
	public static List<SiteFile> read(Path dbXmlGz) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(dbXmlGz))) {
			Document doc = newBuilder().parse(in);
			List<SiteFile> files = new ArrayList<>();
			NodeList plugins = doc.getDocumentElement().getElementsByTagName("plugin");
			for (int i = 0; i < plugins.getLength(); i++) {
				Element plugin = (Element) plugins.item(i);
				Element version = first(plugin, "version");
				if (version == null) continue; // obsolete file
				Element platform = first(plugin, "platform");
				Element description = first(version, "description");
				List<String> deps = new ArrayList<>();
				NodeList dl = version.getElementsByTagName("dependency");
				for (int k = 0; k < dl.getLength(); k++)
					deps.add(((Element) dl.item(k)).getAttribute("filename"));
				files.add(new SiteFile(plugin.getAttribute("filename"), version.getAttribute("checksum"),
					version.getAttribute("timestamp"), Long.parseLong(version.getAttribute("filesize")),
					platform == null ? null : platform.getTextContent().trim(),
					description == null ? null : description.getTextContent(), deps));
			}
			return files;
		}
		catch (ParserConfigurationException | org.xml.sax.SAXException e) {
			throw new IOException("could not read " + dbXmlGz, e);
		}
	}

	private static DocumentBuilder newBuilder() throws ParserConfigurationException {
		DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
		f.setExpandEntityReferences(false);
		f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		return f.newDocumentBuilder();
	}

	private static Element child(Element parent, String name) {
		Element e = parent.getOwnerDocument().createElement(name);
		parent.appendChild(e);
		return e;
	}

	private static Element first(Element parent, String name) {
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
			if (n instanceof Element && n.getNodeName().equals(name)) return (Element) n;
		return null;
	}
}
